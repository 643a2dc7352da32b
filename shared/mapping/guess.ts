/**
 * The last try before a request is held: an email-looking value anywhere in the body, and the
 * usual keys for names and phone numbers in English, Spanish, French, German, Portuguese, Italian
 * and Dutch. What it guessed is returned as a mapping, so it is applied like a saved one and shown
 * to the owner on the request ("Leadbell guessed: email from contact › mail").
 */
import { fieldKey, leaves, type Leaf } from './key-paths.js';
import type { FieldMapping } from './model.js';

export const EMAIL_LOOKING = /^[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[a-z]{2,}$/i;

/** Key words, compared after lower-casing, dropping accents and joining words with one space. */
const KEYS = {
  email: ['email', 'e mail', 'mail', 'email address', 'e mail address', 'correo', 'correo electronico', 'courriel', 'adresse e mail', 'adresse email', 'e mail adresse', 'email adresse', 'endereco de email', 'endereco de e mail', 'indirizzo email', 'indirizzo e mail', 'posta elettronica', 'e mailadres', 'emailadres'],
  first_name: ['first name', 'firstname', 'first', 'fname', 'given name', 'forename', 'nombre', 'prenom', 'vorname', 'primeiro nome', 'nome', 'voornaam'],
  last_name: ['last name', 'lastname', 'last', 'lname', 'surname', 'family name', 'apellido', 'apellidos', 'nom', 'nom de famille', 'nachname', 'familienname', 'sobrenome', 'apelido', 'ultimo nome', 'cognome', 'achternaam'],
  full_name: ['name', 'full name', 'fullname', 'your name', 'contact name', 'nombre completo', 'nombre y apellidos', 'nom complet', 'nom et prenom', 'prenom et nom', 'vollstandiger name', 'vor und nachname', 'nome completo', 'nome e cognome', 'naam', 'volledige naam'],
  phone: ['phone', 'phone number', 'telephone', 'tel', 'mobile', 'mobile number', 'cell', 'cellphone', 'telefono', 'movil', 'celular', 'numero de telefono', 'telephone portable', 'portable', 'numero de telephone', 'telefon', 'telefonnummer', 'handy', 'handynummer', 'mobil', 'telefone', 'telemovel', 'cellulare', 'numero di telefono', 'telefoon', 'telefoonnummer', 'mobiel', 'mobiel nummer'],
} as const;
type GuessedField = keyof typeof KEYS;

/** "Your e-mail:" and "tu correo" read as "e mail" and "correo". */
const POSSESSIVE = /^(your|tu|su|votre|ton|ihr|ihre|dein|deine|seu|sua|il tuo|la tua|tuo|tua|je|uw)\s+/;

export function keyWords(key: string): string {
  return key
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(POSSESSIVE, '');
}

const LOOKUP = new Map<string, GuessedField>();
for (const [field, words] of Object.entries(KEYS) as [GuessedField, readonly string[]][]) {
  for (const w of words) if (!LOOKUP.has(w)) LOOKUP.set(w, field);
}

function fieldOf(leaf: Leaf): GuessedField | undefined {
  return LOOKUP.get(keyWords(fieldKey(leaf.path)));
}

/** A mapping guessed from the body, or null when nothing in it looks like an email address. */
export function guessMapping(body: unknown): FieldMapping | null {
  const all = leaves(body);
  const emails = all.filter((l) => typeof l.value === 'string' && EMAIL_LOOKING.test(l.value.trim()));
  if (!emails.length) return null;
  // An email under an email-ish key beats one that only looks like one (a "reply_to" or a "from").
  const email = emails.find((l) => fieldOf(l) === 'email') ?? emails[0]!;
  const mapping: FieldMapping = { email: email.path, ratings: [] };
  for (const leaf of all) {
    const field = fieldOf(leaf);
    if (!field || field === 'email' || mapping[field] || typeof leaf.value === 'boolean') continue;
    mapping[field] = leaf.path;
  }
  return mapping;
}
