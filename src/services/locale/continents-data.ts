/**
 * The seven continents by their two-letter code, with the UN M49 area code
 * (or ISO region) that ICU names them by, and the English name.
 */

export type ContinentRow = readonly [code: string, icuRegion: string, englishName: string];

export const CONTINENTS: readonly ContinentRow[] = [
  ['AF', '002', 'Africa'],
  ['AN', 'AQ', 'Antarctica'],
  ['AS', '142', 'Asia'],
  ['EU', '150', 'Europe'],
  ['NA', '003', 'North America'],
  ['OC', '009', 'Oceania'],
  ['SA', '005', 'South America'],
];
