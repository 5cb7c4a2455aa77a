import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const FIRST = [
  'Jean',
  'Marie',
  'Pierre',
  'Sophie',
  'Luc',
  'Camille',
  'Hélène',
  'François',
  'Zoé',
  'Noël',
];
const LAST = [
  'Martin',
  'Bernard',
  'Dubois',
  'Thomas',
  'Robert',
  'Richard',
  'Petit',
  'Durand',
  'Leroy',
  'Moreau',
];
const CITIES = [
  'Paris',
  'Lyon',
  'Marseille',
  'Toulouse',
  'Nice',
  'Nantes',
  'Strasbourg',
  'Montpellier',
  'Bordeaux',
  'Lille',
];
const SALONS = ['Coiffure', 'Salon', 'Studio', 'Atelier', 'Maison'];

/**
 * Writes a lead file as a French marketing team would send it: UTF-8, `,`, a phone column in a
 * mix of formats (E.164, spaced national, dotted national) and five text columns. Every number is
 * distinct and valid (French mobiles 06 and 07 in ranges the full metadata accepts).
 * Deterministic: the same `rows` always gives the same bytes.
 */
export async function writeLeadFile(path: string, rows: number): Promise<number> {
  const out = createWriteStream(path);
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  let bytes = 0;
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('phone,prenom,nom,nom_du_salon,ville,notes\n');
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    // 06 10 00 00 00 … 06 29 99 99 99 and 07 50 00 00 00 … : valid mobile ranges, distinct per i.
    const national = i % 2 === 0 ? 610_000_000 + i : 750_000_000 + i;
    const digits = String(national);
    const phone =
      i % 3 === 0
        ? `+33${digits}`
        : i % 3 === 1
          ? `0${digits[0]} ${digits.slice(1, 3)} ${digits.slice(3, 5)} ${digits.slice(5, 7)} ${digits.slice(7, 9)}`
          : `0${digits[0]}.${digits.slice(1, 3)}.${digits.slice(3, 5)}.${digits.slice(5, 7)}.${digits.slice(7, 9)}`;
    const first = FIRST[next() % FIRST.length];
    const last = LAST[next() % LAST.length];
    const salon = `${SALONS[next() % SALONS.length]} ${last}`;
    chunk += `${phone},${first},${last},${salon},${CITIES[next() % CITIES.length]},Salon vu le ${1 + (next() % 28)}/11 ref ${i}\n`;
    if (chunk.length > 1 << 16) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  out.end();
  await once(out, 'finish');
  return bytes;
}
