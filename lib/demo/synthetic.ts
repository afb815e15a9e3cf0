// No database and no server-only imports: the demo seed (lib/demo/seed-customers.ts) and the
// bench's million-customer seed (bench/) share this generator, so search, lists and charts are
// exercised on the same kind of names and addresses in both.

/**
 * Synthetic customers: deterministic (customer n is always the same person), clearly fictitious
 * (e-mail at example.com, phone numbers in 555-0100…0199, which is reserved for fiction) and varied
 * enough to exercise the console's search: accented first and last names ("José", "Zoë",
 * "Núñez"), names sharing prefixes, several cities and ZIP codes of the demo area.
 */

const FIRST_NAMES = [
  "José",
  "Maria",
  "James",
  "Zoë",
  "Li",
  "Amara",
  "Noah",
  "Sofía",
  "Liam",
  "Aisha",
  "Émile",
  "Olivia",
  "Mateo",
  "Chloé",
  "Ethan",
  "Ingrid",
  "Lucas",
  "Renée",
  "Omar",
  "Hannah",
  "Björn",
  "Grace",
  "Diego",
  "Mia",
  "Kenji",
  "Ava",
  "Łukasz",
  "Elena",
  "Samuel",
  "Nora",
  "Andrés",
  "Ruth",
  "Felix",
  "Inés",
  "Jonas",
  "Leah",
  "Tomás",
  "Yara",
  "Victor",
  "Clara",
  "Jack",
  "Priya",
  "Hugo",
  "Freya",
  "Rafael",
  "Joséphine",
  "Adam",
  "Eva",
];
const LAST_NAMES = [
  "García",
  "Smith",
  "Johnson",
  "Núñez",
  "Nguyen",
  "Brown",
  "Müller",
  "Williams",
  "Jones",
  "Martínez",
  "Davis",
  "López",
  "Miller",
  "Wilson",
  "Anderson",
  "Thomas",
  "Taylor",
  "Moore",
  "Jackson",
  "Martin",
  "Lee",
  "Pérez",
  "Thompson",
  "White",
  "Harris",
  "Sánchez",
  "Clark",
  "Ramírez",
  "Lewis",
  "Robinson",
  "Walker",
  "Young",
  "Allen",
  "King",
  "Wright",
  "Scott",
  "Torres",
  "Hill",
  "Flores",
  "Green",
  "Adams",
  "Nelson",
  "Baker",
  "Hall",
  "Rivera",
  "Campbell",
  "Mitchell",
  "Carter",
  "Roberts",
  "Gómez",
  "Phillips",
  "Evans",
  "Turner",
  "Díaz",
  "Parker",
  "Cruz",
  "Edwards",
  "Collins",
  "Reyes",
  "Stewart",
  "Morris",
  "Morales",
  "Murphy",
  "Cook",
  "Rogers",
  "Gutiérrez",
  "Ortiz",
  "Morgan",
  "Cooper",
  "Peterson",
  "Bailey",
  "Reed",
  "Kelly",
  "Howard",
  "Ramos",
  "Kim",
  "Cox",
  "Ward",
  "Richardson",
  "Watson",
  "Brooks",
  "Chávez",
  "Wood",
  "James",
  "Bennett",
  "Gray",
  "Mendoza",
  "Ruiz",
  "Hughes",
  "Price",
  "Álvarez",
  "Castillo",
  "Sanders",
  "Patel",
  "Myers",
  "Long",
  "Ross",
  "Foster",
  "Jiménez",
  "Søren",
  "Öztürk",
  "Dubois",
];
const STREETS = [
  "Maple St",
  "Oak Ave",
  "Pine St",
  "Cedar Ln",
  "Elm St",
  "Aspen Way",
  "Birch Rd",
  "Willow Dr",
  "Spruce Ct",
  "Juniper Pl",
  "Colfax Ave",
  "Larimer St",
  "Blake St",
  "Market St",
  "Grant St",
  "Logan St",
];
/** The demo area: Denver and neighbours (ZIP prefix 802/800, where the demo area offers are). */
const PLACES = [
  { city: "Denver", state: "CO", zip: "80202" },
  { city: "Denver", state: "CO", zip: "80203" },
  { city: "Denver", state: "CO", zip: "80205" },
  { city: "Denver", state: "CO", zip: "80210" },
  { city: "Denver", state: "CO", zip: "80218" },
  { city: "Aurora", state: "CO", zip: "80012" },
  { city: "Lakewood", state: "CO", zip: "80226" },
  { city: "Englewood", state: "CO", zip: "80110" },
  { city: "Arvada", state: "CO", zip: "80002" },
  { city: "Westminster", state: "CO", zip: "80030" },
] as const;

export type SyntheticCustomer = {
  /** 10 digits; synthetic customers start at 2000000000, clear of the demo accounts' 1000000001… */
  accountNumber: string;
  firstName: string;
  lastName: string;
  /** Lower-case ASCII, unique per n. */
  email: string;
  /** E.164 in the 555-0100…0199 fiction range. */
  phone: string;
  line1: string;
  city: string;
  state: string;
  zip: string;
};

/** A small, fast, deterministic PRNG (mulberry32): the same n gives the same person on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function ascii(s: string): string {
  return s
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[Łł]/g, "l")
    .replace(/[Øø]/g, "o")
    .replace(/[^A-Za-z]/g, "")
    .toLowerCase();
}

export const SYNTHETIC_ACCOUNT_BASE = 2_000_000_000;

/** Customer number n (0-based) of the synthetic population. */
export function syntheticCustomer(n: number): SyntheticCustomer {
  const rand = prng(n + 1);
  const firstName = FIRST_NAMES[Math.floor(rand() * FIRST_NAMES.length)];
  const lastName = LAST_NAMES[Math.floor(rand() * LAST_NAMES.length)];
  const place = PLACES[Math.floor(rand() * PLACES.length)];
  const house = 100 + Math.floor(rand() * 9800);
  const street = STREETS[Math.floor(rand() * STREETS.length)];
  // Always 555-0100…0199, the range reserved for fiction, under area codes 201…989: about 79,000
  // numbers, so in the million-customer bench a dozen customers share each (as households do).
  const area = 201 + (n % 789);
  const line = 100 + (Math.floor(n / 789) % 100);
  return {
    accountNumber: String(SYNTHETIC_ACCOUNT_BASE + n),
    firstName,
    lastName,
    email: `${ascii(firstName)}.${ascii(lastName)}.${n}@example.com`,
    phone: `+1${area}5550${line}`,
    line1: `${house} ${street}`,
    city: place.city,
    state: place.state,
    zip: place.zip,
  };
}
