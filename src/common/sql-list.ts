/** A constant list of words as SQL, `('a', 'b')`, so that queries and code share one definition. */
export function sqlList(values: readonly string[]): string {
  for (const v of values) if (!/^[a-z_]+$/.test(v)) throw new Error(`not a state name: ${v}`);
  return `(${values.map((v) => `'${v}'`).join(', ')})`;
}
