/** Response models of the Locale service, as in Appwrite 1.9's spec (same key order). */

export interface LocaleModel {
  ip: string;
  countryCode: string;
  country: string;
  continentCode: string;
  continent: string;
  eu: boolean;
  currency: string;
}

export interface LocaleCode {
  code: string;
  name: string;
}

export interface Country {
  name: string;
  code: string;
}

export interface Continent {
  name: string;
  code: string;
}

export interface Phone {
  code: string;
  countryCode: string;
  countryName: string;
}

export interface Currency {
  symbol: string;
  name: string;
  symbolNative: string;
  decimalDigits: number;
  rounding: number;
  code: string;
  namePlural: string;
}

export interface Language {
  name: string;
  code: string;
  nativeName: string;
}

export interface LocaleCodeList {
  total: number;
  localeCodes: LocaleCode[];
}

export interface CountryList {
  total: number;
  countries: Country[];
}

export interface ContinentList {
  total: number;
  continents: Continent[];
}

export interface PhoneList {
  total: number;
  phones: Phone[];
}

export interface CurrencyList {
  total: number;
  currencies: Currency[];
}

export interface LanguageList {
  total: number;
  languages: Language[];
}
