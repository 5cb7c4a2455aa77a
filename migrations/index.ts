import { Foundation1763769600000 } from './1763769600000-Foundation';
import { Dialling1763769700000 } from './1763769700000-Dialling';

/** Every migration, oldest first. Add new ones at the end. */
export const migrations = [Foundation1763769600000, Dialling1763769700000];
