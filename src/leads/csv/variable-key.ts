/**
 * A header as a variable key: accents folded, camelCase split, lower case, every run of other
 * characters one underscore. `Prénom` → `prenom`, `Nom de l'entreprise` → `nom_de_l_entreprise`,
 * `firstName` → `first_name`, `N° client` → `n_client`.
 */
export function toVariableKey(header: string): string {
  return header
    .replace(/[œŒ]/g, (c) => (c === 'œ' ? 'oe' : 'OE'))
    .replace(/[æÆ]/g, (c) => (c === 'æ' ? 'ae' : 'AE'))
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/([\p{Ll}\d])(\p{Lu})/gu, '$1_$2')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '');
}
