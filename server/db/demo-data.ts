import type { EntityManager } from '@mikro-orm/knex';
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { ClientRecordInput } from '../../shared/client-schema';
import type { Gender, NoteVisibility, Salutation } from '../../shared/enums';
import { foldForSearch } from '../../shared/fold';
import { writeWithEvents } from '../activity/write-path';
import type { Actor } from '../auth/actor';
import { createClient } from '../clients/service';
import { ClientCategory, ClientSubcategory, ContractType } from '../lookups/entity';
import { insertNote } from '../notes/service';
import { insertContract, insertProject } from '../projects/service';

/**
 * Deterministic demo data: about 200 clients across Poland, Germany, Belgium, Norway, the UK, India and the
 * US, with valid mobile numbers, check-digit-correct tax numbers and e-invoicing addresses, lookups, projects,
 * contracts and a few notes. The builders are pure (a fixed-seed PRNG); `seedDemo` writes them, all
 * through the one write path.
 */

// --- PRNG ---------------------------------------------------------------------------------------------

export type Random = () => number;

/** mulberry32: a tiny, fast, fixed-seed PRNG giving floats in [0, 1). */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1));
function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}
const digits = (random: Random, count: number) => Array.from({ length: count }, () => int(random, 0, 9)).join('');
const chance = (random: Random, probability: number) => random() < probability;

// --- Lookups ------------------------------------------------------------------------------------------

export const DEMO_CATEGORIES: Readonly<Record<string, readonly string[]>> = {
  Retail: ['E-commerce', 'Wholesale', 'Stores'],
  Manufacturing: ['Automotive', 'Food and beverage', 'Electronics', 'Furniture'],
  Services: ['Consulting', 'Logistics', 'IT services', 'Legal'],
  Healthcare: ['Clinics', 'Pharmacy'],
  Hospitality: ['Hotels', 'Restaurants'],
};

export const DEMO_CONTRACT_TYPES = ['Retainer', 'Fixed price', 'Time and materials', 'Support'] as const;

// --- Check digits -------------------------------------------------------------------------------------

const sumWeighted = (value: string, weights: readonly number[]) =>
  weights.reduce((sum, weight, index) => sum + weight * Number(value[index]), 0);

/** Polish NIP: 10 digits, the last a weighted mod-11 check (never 10). */
export function polishNip(random: Random): string {
  for (;;) {
    const body = `${int(random, 1, 9)}${digits(random, 8)}`;
    const check = sumWeighted(body, [6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11;
    if (check !== 10) return `${body}${check}`;
  }
}

/** German USt-IdNr: DE + 9 digits, the last an ISO 7064 MOD 11,10 check. */
export function germanVat(random: Random): string {
  const body = `${int(random, 1, 9)}${digits(random, 7)}`;
  let product = 10;
  for (const char of body) {
    let sum = (Number(char) + product) % 10;
    if (sum === 0) sum = 10;
    product = (2 * sum) % 11;
  }
  const check = (11 - product) % 10;
  return `DE${body}${check}`;
}

/** Belgian enterprise number: 10 digits starting 0, the last two 97 - (first eight mod 97). */
export function belgianEnterpriseNumber(random: Random): string {
  const body = `0${int(random, 2, 9)}${digits(random, 6)}`;
  const check = 97 - (Number(body) % 97);
  return `${body}${String(check).padStart(2, '0')}`;
}

/** Norwegian organisation number: 9 digits starting 8 or 9, the last a weighted mod-11 check. */
export function norwegianOrgNumber(random: Random): string {
  for (;;) {
    const body = `${pick(random, ['8', '9'])}${digits(random, 7)}`;
    const remainder = 11 - (sumWeighted(body, [3, 2, 7, 6, 5, 4, 3, 2]) % 11);
    if (remainder === 10) continue;
    return `${body}${remainder === 11 ? 0 : remainder}`;
  }
}

/** UK VAT registration number: GB + 9 digits whose mod-97 check makes the weighted sum divisible by 97. */
export function ukVat(random: Random): string {
  const body = `${int(random, 1, 9)}${digits(random, 6)}`;
  const check = (97 - (sumWeighted(body, [8, 7, 6, 5, 4, 3, 2]) % 97)) % 97;
  return `GB${body}${String(check).padStart(2, '0')}`;
}

const BASE36 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Indian GSTIN: state code, a company PAN, entity 1, Z, and the base-36 Luhn-style check character. */
export function indianGstin(random: Random, stateCode: string): string {
  const letters = (count: number) => Array.from({ length: count }, () => pick(random, [...LETTERS])).join('');
  // A PAN's serial number is never 0000.
  const pan = `${letters(3)}C${letters(1)}${int(random, 1, 9)}${digits(random, 3)}${letters(1)}`;
  const body = `${stateCode}${pan}1Z`;
  let sum = 0;
  for (let index = 0; index < body.length; index++) {
    const product = BASE36.indexOf(body.charAt(index)) * (index % 2 === 0 ? 1 : 2);
    sum += Math.floor(product / 36) + (product % 36);
  }
  return `${body}${BASE36.charAt((36 - (sum % 36)) % 36)}`;
}

/** US Employer Identification Number: a campus prefix the IRS assigns, then 7 digits. */
export function usEin(random: Random): string {
  return `${pick(random, ['20', '26', '27', '45', '46', '47', '81', '82', '83', '84', '86', '88', '91', '94', '95'])}-${digits(random, 7)}`;
}

/** GS1 Global Location Number: 13 digits, the last the GS1 mod-10 check. */
export function gln(random: Random, prefix: string): string {
  const body = `${prefix}${digits(random, 12 - prefix.length)}`;
  let sum = 0;
  for (let index = 0; index < body.length; index++) {
    sum += Number(body[body.length - 1 - index]) * (index % 2 === 0 ? 3 : 1);
  }
  return `${body}${(10 - (sum % 10)) % 10}`;
}

// --- Countries ----------------------------------------------------------------------------------------

interface City {
  city: string;
  state: string;
  /** '#' becomes a random digit. */
  postal: string;
  /** Belgium: the city's usual language. */
  language?: string;
}

interface CountryProfile {
  country: CountryCode;
  count: number;
  languages: readonly string[];
  male: readonly string[];
  female: readonly string[];
  /** Polish surnames ending -ski/-cki/-dzki take -ska/-cka/-dzka for women. */
  surnames: readonly string[];
  cities: readonly City[];
  streets: readonly string[];
  /** How a street address reads: number after the street in most of Europe, before it in the UK, US, India. */
  numberFirst: boolean;
  /** The last address line; the default is "postal code city". */
  placeLine?: (city: City, postalCode: string) => string;
  companyWords: readonly string[];
  companySuffixes: readonly string[];
  tld: string;
  mobile: (random: Random) => string;
  office: (random: Random) => string;
  tax: (random: Random, city: City) => { taxName: string; taxNumber: string };
  /** E-invoicing address for some clients: scheme and address. */
  eInvoicing?: (random: Random, taxNumber: string) => { scheme: string; address: string };
}

const STATE_CODES_IN: Record<string, string> = {
  Maharashtra: '27',
  Karnataka: '29',
  Delhi: '07',
  'Tamil Nadu': '33',
  Telangana: '36',
  'West Bengal': '19',
  Gujarat: '24',
};

const PROFILES: readonly CountryProfile[] = [
  {
    country: 'PL',
    count: 50,
    languages: ['pl'],
    male: [
      'Łukasz',
      'Paweł',
      'Michał',
      'Krzysztof',
      'Piotr',
      'Tomasz',
      'Grzegorz',
      'Jakub',
      'Wojciech',
      'Bartłomiej',
      'Mikołaj',
      'Andrzej',
    ],
    female: [
      'Żaneta',
      'Małgorzata',
      'Agnieszka',
      'Katarzyna',
      'Joanna',
      'Magdalena',
      'Dorota',
      'Beata',
      'Jolanta',
      'Ewa',
      'Aleksandra',
      'Bożena',
    ],
    surnames: [
      'Kowalski',
      'Nowak',
      'Wiśniewski',
      'Wójcik',
      'Kamiński',
      'Lewandowski',
      'Zieliński',
      'Szymański',
      'Woźniak',
      'Dąbrowski',
      'Kozłowski',
      'Jankowski',
      'Mazur',
      'Krawczyk',
      'Piątek',
      'Grabowski',
      'Pawłowski',
      'Michalski',
      'Król',
      'Wieczorek',
      'Jabłoński',
      'Wróbel',
      'Nowakowski',
      'Majewski',
      'Ołdakowski',
      'Żak',
      'Sikora',
      'Baran',
      'Duda',
      'Szewczyk',
    ],
    cities: [
      { city: 'Warszawa', state: 'mazowieckie', postal: '02-###' },
      { city: 'Kraków', state: 'małopolskie', postal: '31-###' },
      { city: 'Łódź', state: 'łódzkie', postal: '90-###' },
      { city: 'Wrocław', state: 'dolnośląskie', postal: '50-###' },
      { city: 'Poznań', state: 'wielkopolskie', postal: '61-###' },
      { city: 'Gdańsk', state: 'pomorskie', postal: '80-###' },
      { city: 'Szczecin', state: 'zachodniopomorskie', postal: '70-###' },
      { city: 'Białystok', state: 'podlaskie', postal: '15-###' },
      { city: 'Rzeszów', state: 'podkarpackie', postal: '35-###' },
      { city: 'Zielona Góra', state: 'lubuskie', postal: '65-###' },
    ],
    streets: [
      'ul. Marszałkowska',
      'ul. Piotrkowska',
      'ul. Świętokrzyska',
      'ul. Długa',
      'al. Jerozolimskie',
      'ul. Żeromskiego',
      'ul. Grunwaldzka',
      'ul. Słowackiego',
      'ul. Kościuszki',
      'ul. Mickiewicza',
    ],
    numberFirst: false,
    companyWords: [
      'Bałtyk',
      'Wisła',
      'Tatry',
      'Mazowsze',
      'Sokół',
      'Jantar',
      'Orzeł',
      'Zorza',
      'Polmet',
      'Krakbud',
      'Łąka',
      'Dębowy Dwór',
    ],
    companySuffixes: ['Sp. z o.o.', 'S.A.', 'Sp. j.', 'Sp. z o.o. Sp. k.'],
    tld: 'pl',
    mobile: (random) =>
      `+48${pick(random, ['50', '51', '53', '57', '60', '66', '69', '72', '73', '78', '79', '88'])}${digits(random, 7)}`,
    office: (random) => `+48${pick(random, ['22', '12', '42', '71', '61', '58'])}${digits(random, 7)}`,
    tax: (random) => ({ taxName: 'NIP', taxNumber: polishNip(random) }),
    eInvoicing: (random) => ({ scheme: '0088', address: gln(random, '590') }),
  },
  {
    country: 'DE',
    count: 30,
    languages: ['de'],
    male: ['Jürgen', 'Matthias', 'Stefan', 'Thomas', 'Andreas', 'Jörg', 'Klaus', 'Maximilian', 'Lukas', 'Florian'],
    female: ['Sabine', 'Ursula', 'Katharina', 'Anja', 'Jördis', 'Birgit', 'Annika', 'Lena', 'Sophie', 'Franziska'],
    surnames: [
      'Müller',
      'Schmidt',
      'Schneider',
      'Fischer',
      'Weber',
      'Meyer',
      'Wagner',
      'Becker',
      'Schäfer',
      'Köhler',
      'Groß',
      'Hoffmann',
      'Schröder',
      'Krüger',
      'Braun',
    ],
    cities: [
      { city: 'Berlin', state: 'Berlin', postal: '10###' },
      { city: 'München', state: 'Bayern', postal: '80###' },
      { city: 'Hamburg', state: 'Hamburg', postal: '20###' },
      { city: 'Köln', state: 'Nordrhein-Westfalen', postal: '50###' },
      { city: 'Frankfurt am Main', state: 'Hessen', postal: '60###' },
      { city: 'Stuttgart', state: 'Baden-Württemberg', postal: '70###' },
      { city: 'Düsseldorf', state: 'Nordrhein-Westfalen', postal: '40###' },
      { city: 'Leipzig', state: 'Sachsen', postal: '04###' },
    ],
    streets: [
      'Hauptstraße',
      'Bahnhofstraße',
      'Schillerstraße',
      'Goethestraße',
      'Königsallee',
      'Friedrichstraße',
      'Mühlenweg',
      'Lindenstraße',
    ],
    numberFirst: false,
    companyWords: [
      'Rheinland',
      'Alpen',
      'Nordlicht',
      'Weser',
      'Schwarzwald',
      'Elbtal',
      'Brückner',
      'Hansa',
      'Spree',
      'Löwen',
    ],
    companySuffixes: ['GmbH', 'AG', 'GmbH & Co. KG', 'KG'],
    tld: 'de',
    mobile: (random) =>
      `+49${pick(random, ['151', '152', '157', '160', '162', '163', '170', '171', '172', '173', '174', '175', '176', '177', '178', '179'])}${digits(random, 7)}`,
    office: (random) => `+49${pick(random, ['30', '89', '40', '221', '69', '711'])}${digits(random, 7)}`,
    tax: (random) => ({ taxName: 'VAT', taxNumber: germanVat(random) }),
    eInvoicing: (_random, taxNumber) => ({ scheme: '9930', address: taxNumber }),
  },
  {
    country: 'BE',
    count: 20,
    languages: ['nl', 'fr'],
    male: ['Pieter', 'Wouter', 'Jeroen', 'Koen', 'Geert', 'François', 'Jérôme', 'Olivier', 'Hélio', 'Benoît'],
    female: ['Els', 'Lieve', 'Sofie', 'An', 'Inge', 'Amélie', 'Céline', 'Hélène', 'Chloé', 'Noémie'],
    surnames: [
      'Peeters',
      'Janssens',
      'Maes',
      'Jacobs',
      'Mertens',
      'Willems',
      'Claes',
      'Goossens',
      'Dubois',
      'Lambert',
      'Dupont',
      'Lefèvre',
      'Vandenberghe',
      'De Smet',
    ],
    cities: [
      { city: 'Brussel', state: 'Brussels Hoofdstedelijk Gewest', postal: '1000', language: 'nl' },
      { city: 'Bruxelles', state: 'Région de Bruxelles-Capitale', postal: '10#0', language: 'fr' },
      { city: 'Antwerpen', state: 'Antwerpen', postal: '20#0', language: 'nl' },
      { city: 'Gent', state: 'Oost-Vlaanderen', postal: '9000', language: 'nl' },
      { city: 'Leuven', state: 'Vlaams-Brabant', postal: '3000', language: 'nl' },
      { city: 'Brugge', state: 'West-Vlaanderen', postal: '8000', language: 'nl' },
      { city: 'Liège', state: 'Liège', postal: '4000', language: 'fr' },
      { city: 'Namur', state: 'Namur', postal: '5000', language: 'fr' },
      { city: 'Charleroi', state: 'Hainaut', postal: '6000', language: 'fr' },
    ],
    streets: [
      'Meir',
      'Korenmarkt',
      'Grote Markt',
      'Rue Neuve',
      'Avenue Louise',
      'Rue de la Loi',
      'Steenweg op Gent',
      'Boulevard d’Avroy',
    ],
    numberFirst: false,
    companyWords: ['Schelde', 'Ardennes', 'Brabant', 'Meuse', 'Vlaanderen', 'Atomium', 'Zoniën', 'Sambre'],
    companySuffixes: ['BV', 'NV', 'SRL', 'SA'],
    tld: 'be',
    mobile: (random) =>
      `+32${pick(random, ['460', '470', '471', '472', '473', '475', '476', '477', '478', '479', '484', '485', '486', '487', '488', '489', '491', '492', '493', '494', '495', '496', '497', '498', '499'])}${digits(random, 6)}`,
    office: (random) => `+32${pick(random, ['2', '3', '9'])}${digits(random, 7)}`,
    tax: (random) => ({ taxName: 'VAT', taxNumber: `BE${belgianEnterpriseNumber(random)}` }),
    eInvoicing: (_random, taxNumber) => ({ scheme: '0208', address: taxNumber.replace(/^BE/, '') }),
  },
  {
    country: 'NO',
    count: 15,
    languages: ['nb'],
    male: ['Øyvind', 'Håkon', 'Bjørn', 'Lars', 'Magnus', 'Sindre', 'Erlend', 'Torbjørn'],
    female: ['Ingrid', 'Solveig', 'Kari', 'Åse', 'Sigrid', 'Marte', 'Ragnhild', 'Tone'],
    surnames: [
      'Hansen',
      'Johansen',
      'Olsen',
      'Larsen',
      'Andersen',
      'Pedersen',
      'Nilsen',
      'Kristiansen',
      'Sæther',
      'Bråten',
      'Løvås',
      'Haugen',
    ],
    cities: [
      { city: 'Oslo', state: 'Oslo', postal: '0###' },
      { city: 'Bergen', state: 'Vestland', postal: '50##' },
      { city: 'Trondheim', state: 'Trøndelag', postal: '70##' },
      { city: 'Stavanger', state: 'Rogaland', postal: '40##' },
      { city: 'Tromsø', state: 'Troms', postal: '90##' },
      { city: 'Bodø', state: 'Nordland', postal: '80##' },
    ],
    streets: ['Karl Johans gate', 'Storgata', 'Bryggen', 'Kirkegata', 'Dronningens gate', 'Strandgata'],
    numberFirst: false,
    companyWords: ['Fjord', 'Nordkapp', 'Vestlandet', 'Polar', 'Lofoten', 'Havbris', 'Fjellheim'],
    companySuffixes: ['AS', 'ASA'],
    tld: 'no',
    mobile: (random) => `+47${pick(random, ['4', '9'])}${digits(random, 7)}`,
    office: (random) => `+47${pick(random, ['22', '55', '73'])}${digits(random, 6)}`,
    tax: (random) => ({ taxName: 'MVA', taxNumber: `NO${norwegianOrgNumber(random)}MVA` }),
    eInvoicing: (_random, taxNumber) => ({ scheme: '0192', address: taxNumber.replace(/^NO|MVA$/g, '') }),
  },
  {
    country: 'GB',
    count: 30,
    languages: ['en'],
    male: ['Oliver', 'George', 'Harry', 'James', 'William', 'Thomas', 'Callum', 'Rhys', 'Angus', 'Declan'],
    female: ['Amelia', 'Olivia', 'Isla', 'Emily', 'Charlotte', 'Siobhan', 'Eleanor', 'Freya', 'Niamh', 'Harriet'],
    surnames: [
      'Smith',
      'Jones',
      'Taylor',
      'Brown',
      'Williams',
      'Wilson',
      'Davies',
      'Evans',
      'Thomas',
      'Roberts',
      'Walker',
      'Wright',
      'MacDonald',
      'O’Brien',
      'Hughes',
    ],
    cities: [
      { city: 'London', state: 'Greater London', postal: 'EC#A #BB' },
      { city: 'Manchester', state: 'Greater Manchester', postal: 'M# #AB' },
      { city: 'Birmingham', state: 'West Midlands', postal: 'B# #NT' },
      { city: 'Leeds', state: 'West Yorkshire', postal: 'LS# #AD' },
      { city: 'Edinburgh', state: 'Scotland', postal: 'EH# #YJ' },
      { city: 'Cardiff', state: 'Wales', postal: 'CF## #SN' },
      { city: 'Bristol', state: 'Bristol', postal: 'BS# #TR' },
      { city: 'Belfast', state: 'Northern Ireland', postal: 'BT# #GS' },
    ],
    streets: [
      'High Street',
      'Station Road',
      'Victoria Road',
      'Church Lane',
      'King Street',
      'Queen’s Road',
      'Princes Street',
    ],
    numberFirst: true,
    placeLine: (city, postalCode) => `${city.city}\n${postalCode}`,
    companyWords: ['Thames', 'Pennine', 'Albion', 'Highland', 'Cotswold', 'Mersey', 'Wessex', 'Severn'],
    companySuffixes: ['Ltd', 'plc', 'LLP'],
    tld: 'co.uk',
    mobile: (random) => `+44${pick(random, ['74', '75', '77', '78', '79'])}${digits(random, 8)}`,
    office: (random) => `+44${pick(random, ['20', '161', '121', '131'])}${digits(random, 7)}`,
    tax: (random) => ({ taxName: 'VAT', taxNumber: ukVat(random) }),
  },
  {
    country: 'IN',
    count: 25,
    languages: ['en', 'hi'],
    male: ['Aarav', 'Vikram', 'Rahul', 'Arjun', 'Sanjay', 'Rohan', 'Karthik', 'Amit', 'Rajesh', 'Suresh'],
    female: ['Priya', 'Ananya', 'Kavya', 'Divya', 'Lakshmi', 'Sneha', 'Pooja', 'Meera', 'Aishwarya', 'Neha'],
    surnames: [
      'Sharma',
      'Patel',
      'Iyer',
      'Reddy',
      'Nair',
      'Gupta',
      'Singh',
      'Mehta',
      'Banerjee',
      'Rao',
      'Kulkarni',
      'Menon',
      'Chatterjee',
      'Desai',
    ],
    cities: [
      { city: 'Mumbai', state: 'Maharashtra', postal: '4000##' },
      { city: 'Pune', state: 'Maharashtra', postal: '4110##' },
      { city: 'Bengaluru', state: 'Karnataka', postal: '5600##' },
      { city: 'New Delhi', state: 'Delhi', postal: '1100##' },
      { city: 'Chennai', state: 'Tamil Nadu', postal: '6000##' },
      { city: 'Hyderabad', state: 'Telangana', postal: '5000##' },
      { city: 'Kolkata', state: 'West Bengal', postal: '7000##' },
      { city: 'Ahmedabad', state: 'Gujarat', postal: '3800##' },
    ],
    streets: ['MG Road', 'Linking Road', 'Park Street', 'Anna Salai', 'Brigade Road', 'Connaught Place', 'FC Road'],
    numberFirst: true,
    placeLine: (city, postalCode) => `${city.city} ${postalCode}, ${city.state}`,
    companyWords: ['Ganga', 'Himalaya', 'Sahyadri', 'Deccan', 'Sagar', 'Surya', 'Indus', 'Kaveri'],
    companySuffixes: ['Pvt. Ltd.', 'Ltd.', 'LLP'],
    tld: 'in',
    mobile: (random) =>
      `+91${pick(random, ['98', '99', '97', '96', '90', '91', '88', '70', '63'])}${digits(random, 8)}`,
    office: (random) => `+91${pick(random, ['22', '80', '11', '44'])}${digits(random, 8)}`,
    tax: (random, city) => ({ taxName: 'GST', taxNumber: indianGstin(random, STATE_CODES_IN[city.state] ?? '27') }),
  },
  {
    country: 'US',
    count: 30,
    languages: ['en'],
    male: ['Michael', 'Christopher', 'Daniel', 'Matthew', 'Ethan', 'Tyler', 'José', 'Brandon', 'Kevin', 'Jordan'],
    female: ['Jennifer', 'Jessica', 'Ashley', 'Emily', 'Madison', 'Sarah', 'Brittany', 'María', 'Hannah', 'Megan'],
    surnames: [
      'Johnson',
      'Miller',
      'Garcia',
      'Rodriguez',
      'Martinez',
      'Anderson',
      'Thompson',
      'White',
      'Harris',
      'Clark',
      'Lewis',
      'Robinson',
      'Nguyen',
      'Kim',
      'O’Connor',
    ],
    cities: [
      { city: 'New York', state: 'NY', postal: '100##' },
      { city: 'San Francisco', state: 'CA', postal: '941##' },
      { city: 'Chicago', state: 'IL', postal: '606##' },
      { city: 'Boston', state: 'MA', postal: '021##' },
      { city: 'Seattle', state: 'WA', postal: '981##' },
      { city: 'Austin', state: 'TX', postal: '787##' },
      { city: 'Miami', state: 'FL', postal: '331##' },
      { city: 'Denver', state: 'CO', postal: '802##' },
    ],
    streets: [
      'Main Street',
      'Broadway',
      'Market Street',
      'Elm Street',
      'Oak Avenue',
      'Maple Drive',
      'Washington Boulevard',
    ],
    numberFirst: true,
    placeLine: (city, postalCode) => `${city.city}, ${city.state} ${postalCode}`,
    companyWords: ['Liberty', 'Pioneer', 'Summit', 'Redwood', 'Lakeshore', 'Keystone', 'Frontier', 'Bayview'],
    companySuffixes: ['Inc.', 'LLC', 'Corp.'],
    tld: 'com',
    mobile: (random) =>
      `+1${pick(random, ['212', '415', '312', '617', '206', '512', '305', '303', '646', '773'])}${int(random, 2, 9)}${digits(random, 2)}${digits(random, 4)}`,
    office: (random) =>
      `+1${pick(random, ['212', '415', '312', '617'])}${int(random, 2, 9)}${digits(random, 2)}${digits(random, 4)}`,
    tax: (random) => ({ taxName: 'EIN', taxNumber: usEin(random) }),
  },
];

export const DEMO_COUNTRIES: readonly string[] = PROFILES.map((profile) => profile.country);

/** Draws numbers until libphonenumber accepts one (deterministic: the draws come from the seeded PRNG). */
function validPhone(random: Random, draw: (random: Random) => string, country: CountryCode, mobile: boolean): string {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const candidate = draw(random);
    const parsed = parsePhoneNumberFromString(candidate, country);
    if (!parsed?.isValid() || parsed.country !== country) continue;
    const type = parsed.getType();
    if (mobile ? type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE' : type !== 'MOBILE') return parsed.number;
  }
  throw new Error(`No valid ${country} phone number drawn`);
}

function feminine(surname: string): string {
  return surname.replace(/(ski|cki|dzki)$/, (ending) => `${ending.slice(0, -1)}a`);
}

const slug = (text: string) =>
  foldForSearch(text)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

// --- Builders -----------------------------------------------------------------------------------------

/** A demo client: its record with lookups by name (ids exist only in a database), and what hangs off it. */
export interface DemoClient {
  record: Omit<ClientRecordInput, 'categoryId' | 'subcategoryId'>;
  category: string | null;
  subcategory: string | null;
  projects: string[];
  contracts: { type: (typeof DEMO_CONTRACT_TYPES)[number]; subject: string }[];
  notes: { body: string; visibility: NoteVisibility }[];
}

const PROJECT_NAMES = [
  'Website relaunch',
  'ERP rollout',
  'Warehouse automation',
  'Annual audit',
  'CRM migration',
  'Mobile app',
  'Brand refresh',
  'Data platform',
];
const NOTE_BODIES = [
  'Prefers to be contacted by e-mail in the morning.',
  'Asked for a quote for next year’s support contract.',
  'Invoices must quote the purchase order number.',
  'Met at the trade fair; interested in the new module.',
  'Payment terms agreed: 30 days.',
];

export const DEMO_SEED = 20_261_128;

/** The demo clients, always the same for the same seed. */
export function buildDemoClients(seed = DEMO_SEED): DemoClient[] {
  const random = mulberry32(seed);
  const categories = Object.entries(DEMO_CATEGORIES);
  const emails = new Set<string>();
  const clients: DemoClient[] = [];

  for (const profile of PROFILES) {
    for (let index = 0; index < profile.count; index++) {
      const gender: Gender = chance(random, 0.03) ? 'other' : chance(random, 0.5) ? 'female' : 'male';
      const firstName = pick(
        random,
        gender === 'female' ? profile.female : gender === 'male' ? profile.male : [...profile.male, ...profile.female],
      );
      const baseSurname = pick(random, profile.surnames);
      const surname = gender === 'female' && profile.country === 'PL' ? feminine(baseSurname) : baseSurname;
      const name = `${firstName} ${surname}`;
      const salutation: Salutation | null =
        gender === 'other'
          ? null
          : chance(random, 0.08)
            ? 'dr'
            : gender === 'male'
              ? 'mr'
              : chance(random, 0.2)
                ? 'miss'
                : 'mrs';

      const city = pick(random, profile.cities);
      const postalCode = city.postal.replace(/#/g, () => String(int(random, 0, 9)));
      const companyWord = pick(random, profile.companyWords);
      const companyKind = pick(random, [
        'Trade',
        'Systems',
        'Logistics',
        'Solutions',
        'Group',
        'Partners',
        'Foods',
        'Tech',
      ]);
      const companyName = `${companyWord} ${companyKind} ${pick(random, profile.companySuffixes)}`;
      const domain = `${slug(`${companyWord}-${companyKind}`)}-${slug(city.city)}.${profile.tld}`;
      const street = pick(random, profile.streets);
      const number = int(random, 1, 180);
      const streetLine = profile.numberFirst ? `${number} ${street}` : `${street} ${number}`;
      const placeLine = profile.placeLine?.(city, postalCode) ?? `${postalCode} ${city.city}`;
      const companyAddress = `${streetLine}\n${placeLine}`;
      const separateShipping = chance(random, 0.2);
      const shippingStreet = `${profile.numberFirst ? `${int(random, 1, 99)} ${pick(random, profile.streets)}` : `${pick(random, profile.streets)} ${int(random, 1, 99)}`}`;

      let email = `${slug(firstName)}.${slug(surname)}@${domain}`.replace(/-(?=[^@]*@)/g, '');
      for (let n = 2; emails.has(email); n++) email = email.replace(/(\d*)@/, `${n}@`);
      emails.add(email);

      const tax = profile.tax(random, city);
      const eInvoicing = profile.eInvoicing && chance(random, 0.3) ? profile.eInvoicing(random, tax.taxNumber) : null;
      const [categoryName, subcategories] = chance(random, 0.9) ? pick(random, categories) : [null, []];
      const subcategory = categoryName && chance(random, 0.85) ? pick(random, subcategories) : null;
      const language = city.language ?? pick(random, profile.languages);

      const record: DemoClient['record'] = {
        salutation,
        name,
        email,
        country: profile.country,
        mobile: validPhone(random, profile.mobile, profile.country, true),
        gender,
        language,
        status: chance(random, 0.85) ? 'active' : 'inactive',
        companyName,
        website: `https://www.${domain}`,
        taxName: tax.taxName,
        taxNumber: tax.taxNumber,
        officePhone: chance(random, 0.6) ? validPhone(random, profile.office, profile.country, false) : null,
        city: city.city,
        state: city.state,
        postalCode,
        companyAddress,
        shippingAddress: separateShipping ? `${shippingStreet}\n${placeLine}` : companyAddress,
        electronicAddressScheme: eInvoicing?.scheme ?? null,
        electronicAddress: eInvoicing?.address ?? null,
        loginAllowed: chance(random, 0.1),
        emailNotifications: chance(random, 0.9),
      };
      const projects = chance(random, 0.3)
        ? Array.from({ length: int(random, 1, 2) }, () => `${pick(random, PROJECT_NAMES)} ${int(random, 2024, 2027)}`)
        : [];
      const contracts = chance(random, 0.35)
        ? [
            {
              type: pick(random, DEMO_CONTRACT_TYPES),
              subject: `${companyWord} ${pick(random, ['master agreement', 'service agreement', 'maintenance', 'framework contract'])}`,
            },
          ]
        : [];
      const notes = chance(random, 0.06)
        ? [
            {
              body: pick(random, NOTE_BODIES),
              visibility: (chance(random, 0.5) ? 'public' : 'private') as NoteVisibility,
            },
          ]
        : [];
      clients.push({ record, category: categoryName, subcategory, projects, contracts, notes });
    }
  }
  return clients;
}

/** The full record for `createClient`, once the lookups have ids. */
export function toClientRecord(
  demo: DemoClient,
  categoryIds: ReadonlyMap<string, number>,
  subcategoryIds: ReadonlyMap<string, number>,
): ClientRecordInput {
  const categoryId = demo.category ? (categoryIds.get(demo.category) ?? null) : null;
  const subcategoryId =
    demo.category && demo.subcategory ? (subcategoryIds.get(`${demo.category}/${demo.subcategory}`) ?? null) : null;
  return { ...demo.record, categoryId, subcategoryId };
}

// --- Seeding ------------------------------------------------------------------------------------------

/**
 * Writes the lookups (reusing any with the same names) and the demo clients, each through `createClient`,
 * the one write path, so every client has its creation event; then their projects, contracts and notes, each
 * with its event too.
 */
export async function seedDemo(em: EntityManager, actor: Actor, seed = DEMO_SEED): Promise<{ clients: number }> {
  const categoryIds = new Map<string, number>();
  const subcategoryIds = new Map<string, number>();
  const contractTypeIds = new Map<string, number>();

  await em.transactional(async (tx) => {
    for (const [categoryName, subcategoryNames] of Object.entries(DEMO_CATEGORIES)) {
      const category =
        (await tx.findOne(ClientCategory, { name: categoryName })) ?? tx.create(ClientCategory, { name: categoryName });
      await tx.flush();
      categoryIds.set(categoryName, category.id);
      for (const subcategoryName of subcategoryNames) {
        const subcategory =
          (await tx.findOne(ClientSubcategory, { categoryId: category.id, name: subcategoryName })) ??
          tx.create(ClientSubcategory, { categoryId: category.id, name: subcategoryName });
        await tx.flush();
        subcategoryIds.set(`${categoryName}/${subcategoryName}`, subcategory.id);
      }
    }
    for (const typeName of DEMO_CONTRACT_TYPES) {
      const type = (await tx.findOne(ContractType, { name: typeName })) ?? tx.create(ContractType, { name: typeName });
      await tx.flush();
      contractTypeIds.set(typeName, type.id);
    }
  });

  const demos = buildDemoClients(seed);
  const created: { id: number; demo: DemoClient }[] = [];
  for (const demo of demos) {
    // A fresh fork each time: an identity map that keeps every client created so far slows every later flush.
    const client = await createClient(em.fork(), actor, toClientRecord(demo, categoryIds, subcategoryIds));
    created.push({ id: client.id, demo });
  }
  // What hangs off the clients goes in through the same write path as anyone's edits, each row with its event,
  // all in one transaction: one commit instead of one per row keeps seeding fast.
  await writeWithEvents(em.fork(), actor, async (tx, record) => {
    for (const { id, demo } of created) {
      for (const name of demo.projects) await insertProject(tx, record, id, name);
      for (const contract of demo.contracts) {
        const typeId = contractTypeIds.get(contract.type);
        if (typeId) await insertContract(tx, record, id, { typeId, subject: contract.subject });
      }
      for (const note of demo.notes) await insertNote(tx, record, actor.id || null, { clientId: id, ...note });
    }
  });
  em.clear();
  return { clients: demos.length };
}
