import type { Database } from "../../src/db/database.ts";

/**
 * A catalogue of `items` media items in events of ten with a programme for each event, then
 * transcripts grown in steps to a number of words, written with SQL that runs on PGlite and
 * PostgreSQL alike. Text is drawn from EN and FR word lists, common words more often than rare
 * ones, so full-text search has realistic posting lists to go through; a few invented names occur
 * in about one sentence in 4 000, so a rare word stays rare.
 */

// Ordered from frequent to rare: picks use random()², which favours the start of each list.
const en = `the of and to in a that we is for this our on with are will be it as have security allies
ministers today alliance support defence nations together meeting summit forces our all more
agreed important partners spending capabilities deterrence also very new must continue decision
europe north america cooperation question thank you secretary general press conference statement
energy cyber resilience military budget commitment ukraine region border training exercise
readiness industry production ammunition air missile space maritime arctic climate change
innovation technology investment percent gross domestic product troops deployment command
headquarters mission operation crisis management partnership dialogue council parliament
president prime minister foreign affairs delegation ambassador journalist newspaper television
agency correspondent broadcaster interpreter transcript recording footage camera podium briefing
communique declaration framework strategy concept posture reinforcement battlegroup eastern flank
southern neighbourhood terrorism hybrid threats disinformation critical infrastructure undersea cables
pipelines satellites supply chains logistics mobility interoperability standards procurement
multinational capability targets benchmark reporting transparency accountability oversight`.split(/\s+/);

const fr = `le la les de des et à en un une que nous est pour ce notre sur avec sont sera il comme avons
sécurité alliés ministres aujourd'hui alliance soutien défense nations ensemble réunion sommet forces
tous plus convenu important partenaires dépenses capacités dissuasion aussi très nouveau devons
continuer décision europe amérique nord coopération question merci secrétaire général conférence
presse déclaration énergie cyber résilience militaire budget engagement ukraine région frontière
formation exercice préparation industrie production munitions aérienne missile espace maritime
arctique climat changement innovation technologie investissement pourcentage produit intérieur brut
troupes déploiement commandement quartier mission opération crise gestion partenariat dialogue
conseil parlement président premier ministre affaires étrangères délégation ambassadeur journaliste
journal télévision agence correspondant diffuseur interprète transcription enregistrement images
caméra pupitre point communiqué cadre stratégie concept posture renforcement groupement flanc est
voisinage sud terrorisme menaces hybrides désinformation infrastructures critiques câbles sous-marins
gazoducs satellites chaînes approvisionnement logistique mobilité interopérabilité normes acquisitions
multinationale objectifs transparence responsabilité contrôle`.split(/\s+/);

const speakers = [
  "The Secretary General",
  "Deputy Secretary General",
  "Chair of the Military Committee",
  "Spokesperson",
  "Minister of Foreign Affairs",
  "Minister of Defence",
  "Prime Minister",
  "President",
];
const outlets = ["Reuters", "AFP", "BBC", "France 24", "Deutsche Welle", "RTBF", "Le Monde", "Politico"];
const kinds = [
  "press-conference",
  "speech",
  "doorstep",
  "interview",
  "b-roll",
  "statement",
  "photo-opportunity",
];
const places = ["Brussels", "Vilnius", "Washington", "Madrid", "The Hague", "Rome", "Paris", "Bucharest"];
const lieux = ["Bruxelles", "Vilnius", "Washington", "Madrid", "La Haye", "Rome", "Paris", "Bucarest"];

const vocabulary: Record<string, string[]> = { en, fr, speakers, outlets, kinds, places, lieux };

/** Names that occur in about one sentence in RARE_EVERY: "a rare word" in the bench's searches. */
export const rareNames = ["Lusandre", "Kvarnholm", "Ostrevia", "Tarquemont", "Vellisande"];
const RARE_EVERY = 4000;
const WORDS_PER_SEGMENT = 20;
/** Segments per transcript: 50 to 150 (a press conference of 7 to 20 minutes), 100 on average. */
const segmentsOf = (item: number) => 50 + (((item * 2654435761) >>> 0) % 101);

export interface CatalogueSeed {
  events: number;
  items: number;
  seconds: number;
}

/**
 * Events, items, posters and programmes, no transcripts. The search triggers are off while the
 * rows go in (each would rebuild its item's document): growTranscripts builds every document.
 */
export async function seedCatalogue(
  db: Database,
  options: { items: number },
  log: (line: string) => void,
): Promise<CatalogueSeed> {
  const started = performance.now();
  const events = Math.max(1, Math.ceil(options.items / 10));
  await db.exec(`
    CREATE TABLE bench_vocab (name text PRIMARY KEY, words text[] NOT NULL);
    CREATE FUNCTION bench_words(list text, n integer) RETURNS text LANGUAGE sql VOLATILE AS $$
      SELECT string_agg(v.words[1 + floor(array_length(v.words, 1) * random() ^ 2)::integer], ' ')
      FROM bench_vocab v, generate_series(1, n) WHERE v.name = list
    $$;
    CREATE FUNCTION bench_pick(list text, i integer) RETURNS text LANGUAGE sql STABLE AS $$
      SELECT v.words[1 + i % array_length(v.words, 1)] FROM bench_vocab v WHERE v.name = list
    $$;
    SELECT setseed(0.42);
    ALTER TABLE media_items DISABLE TRIGGER USER;
    ALTER TABLE events DISABLE TRIGGER USER;
  `);
  for (const [name, words] of Object.entries(vocabulary))
    await db.query("INSERT INTO bench_vocab (name, words) VALUES ($1, $2)", [name, words]);
  const EN = "'en'";
  const FR = "'fr'";
  await db.query(
    `INSERT INTO events (slug, starts_at, ends_at, place_en, place_fr, title_en, title_fr, summary_en, summary_fr,
       body_en, body_fr, published_at, created_at, updated_at)
     SELECT 'bench-event-' || g, now() - g * interval '19 hours', now() - g * interval '19 hours' + interval '6 hours',
       bench_pick('places', g), bench_pick('lieux', g),
       initcap(bench_words(${EN}, 6)), initcap(bench_words(${FR}, 6)),
       bench_words(${EN}, 30), bench_words(${FR}, 30), bench_words(${EN}, 150), bench_words(${FR}, 150),
       now() - g * interval '19 hours', now(), now()
     FROM generate_series(1, $1::integer) g`,
    [events],
  );
  log(`${events} events`);
  await db.query(
    `INSERT INTO media_items (event_id, media_type, kind, position, title_en, title_fr, description_en, description_fr,
       shot_list_en, shot_list_fr, usage_terms_en, usage_terms_fr, credit, speakers, languages, recorded_at,
       published_at, status, progress, duration_seconds, created_at, updated_at)
     SELECT e.id,
       CASE WHEN g % 20 < 14 THEN 'video' WHEN g % 20 < 19 THEN 'photo' ELSE 'audio' END,
       CASE WHEN g % 20 < 14 THEN bench_pick('kinds', g % 6) WHEN g % 20 < 19 THEN 'photo-opportunity' ELSE 'speech' END,
       g % 10, initcap(bench_words(${EN}, 7)), initcap(bench_words(${FR}, 7)),
       bench_words(${EN}, 40), bench_words(${FR}, 40), bench_words(${EN}, 25), bench_words(${FR}, 25),
       'Free for editorial use', 'Libre pour usage éditorial', 'Bench Broadcasting',
       ARRAY[bench_pick('speakers', g), bench_pick('speakers', g / 3 + 1)], ARRAY['en', 'fr'],
       e.starts_at + (g % 10) * interval '20 minutes', e.published_at, 'ready', 100,
       CASE WHEN g % 20 < 14 THEN 600 + (g % 50) * 60 WHEN g % 20 < 19 THEN NULL ELSE 900 END,
       now(), now()
     FROM generate_series(0, $1::integer - 1) g JOIN events e ON e.slug = 'bench-event-' || (1 + g / 10)`,
    [options.items],
  );
  await db.query(
    `INSERT INTO renditions (media_item_id, kind, storage_key, created_at)
     SELECT id, 'poster', 'items/' || id || '/poster.jpg', now() FROM media_items WHERE media_type <> 'audio'
     UNION ALL
     SELECT id, 'hls', 'items/' || id || '/hls/master.m3u8', now() FROM media_items WHERE media_type = 'video'`,
  );
  await db.query(
    `INSERT INTO programme_items (event_id, position, starts_at, title_en, title_fr, media_item_id)
     SELECT event_id, position, recorded_at, title_en, title_fr, id FROM media_items`,
  );
  // An archive that was there before: its items were announced long ago. Otherwise the portal's
  // announcer works through all of them while the first size is measured (it did: 2026-12-05).
  await db.query("INSERT INTO item_announcements (item_id, announced_at) SELECT id, now() FROM media_items");
  await db.exec(`
    ALTER TABLE media_items ENABLE TRIGGER USER;
    ALTER TABLE events ENABLE TRIGGER USER;
    DROP FUNCTION bench_words(text, integer); DROP FUNCTION bench_pick(text, integer); DROP TABLE bench_vocab;
  `);
  const seconds = (performance.now() - started) / 1000;
  log(`${options.items} items, their posters and programmes (${seconds.toFixed(0)} s)`);
  return { events, items: options.items, seconds };
}

export interface TranscriptGrowth {
  /** Transcript words in the database now (and items, segments holding them). */
  words: number;
  transcriptItems: number;
  segments: number;
  /** Writing the new sentences (each with its own tsvector and GIN entry). */
  insertSeconds: number;
  /** Building search_documents for every item from scratch, then VACUUM ANALYZE. */
  indexSeconds: number;
}

/**
 * Adds transcripts to video items without one until the archive holds `words` transcript words,
 * then rebuilds search_documents whole and times it: the time to index an archive of that size.
 * Text is made here (a seeded generator per item, so every run writes the same archive) and sent
 * as arrays, one statement per batch of items; the search triggers are off meanwhile.
 */
export async function growTranscripts(
  db: Database,
  words: number,
  log: (line: string) => void,
): Promise<TranscriptGrowth> {
  const [have] = await db.query<{ segments: number }>(
    "SELECT count(*)::integer AS segments FROM transcript_segments",
  );
  let missing = words - have!.segments * WORDS_PER_SEGMENT;
  // Spread over the archive's years: a multiplicative hash of the id orders the candidates.
  const candidates = await db.query<{ id: number }>(
    `SELECT id FROM media_items m WHERE media_type = 'video'
       AND NOT EXISTS (SELECT 1 FROM transcript_segments s WHERE s.media_item_id = m.id)
     ORDER BY (id::bigint * 40503) % 65521, id`,
  );
  const started = performance.now();
  await db.exec("ALTER TABLE transcript_segments DISABLE TRIGGER USER");
  let batch: { item: number; segments: number }[] = [];
  let batchWords = 0;
  let added = 0;
  let flushes = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await insertSegments(db, batch);
    added += batchWords;
    batch = [];
    batchWords = 0;
    flushes++;
  };
  for (const { id } of candidates) {
    if (missing <= 0) break;
    const segments = Math.min(segmentsOf(id), Math.ceil(missing / WORDS_PER_SEGMENT));
    batch.push({ item: id, segments });
    batchWords += segments * WORDS_PER_SEGMENT;
    missing -= segments * WORDS_PER_SEGMENT;
    if (batchWords >= 100_000) {
      await flush();
      if (flushes % 10 === 0) log(`transcripts: ${added} words added (${elapsed(started)} s)`);
    }
  }
  await flush();
  await db.exec("ALTER TABLE transcript_segments ENABLE TRIGGER USER");
  const insertSeconds = (performance.now() - started) / 1000;
  if (missing > 0) log(`only ${words - missing} words fit in the video items' transcripts`);

  const indexStarted = performance.now();
  await db.exec("TRUNCATE search_documents");
  const [range] = await db.query<{ max: number }>(
    "SELECT coalesce(max(id), 0)::integer AS max FROM media_items",
  );
  for (let from = 0; from <= range!.max; from += 1000) {
    await db.query(
      "SELECT pr_refresh_search_documents(ARRAY(SELECT id FROM media_items WHERE id > $1 AND id <= $2))",
      [from, from + 1000],
    );
  }
  await db.exec("VACUUM ANALYZE search_documents");
  const indexSeconds = (performance.now() - indexStarted) / 1000;
  await db.exec("ANALYZE");
  const [counts] = await db.query<{ items: number; segments: number; words: number }>(
    `SELECT count(DISTINCT media_item_id)::integer AS items, count(*)::integer AS segments,
       coalesce(sum(array_length(regexp_split_to_array(text, '\\s+'), 1)), 0)::integer AS words
     FROM transcript_segments`,
  );
  log(
    `${counts!.words} words on ${counts!.items} items: inserted in ${insertSeconds.toFixed(0)} s, indexed in ${indexSeconds.toFixed(0)} s`,
  );
  return {
    words: counts!.words,
    transcriptItems: counts!.items,
    segments: counts!.segments,
    insertSeconds,
    indexSeconds,
  };
}

async function insertSegments(db: Database, batch: { item: number; segments: number }[]): Promise<void> {
  const items: number[] = [];
  const positions: number[] = [];
  const langs: string[] = [];
  const texts: string[] = [];
  for (const { item, segments } of batch) {
    const random = generator(item);
    for (let p = 0; p < segments; p++) {
      // Seven sentences in ten in English, in runs of ten (an interpreter's turn).
      const lang = (item + Math.floor(p / 10)) % 10 < 7 ? "en" : "fr";
      items.push(item);
      positions.push(p);
      langs.push(lang);
      texts.push(sentence(lang === "en" ? en : fr, random));
    }
  }
  await db.query(
    `INSERT INTO transcript_segments (media_item_id, position, start_seconds, end_seconds, speaker,
       questioner_outlet, is_question, lang, text)
     SELECT m, p, p * 8.0, p * 8.0 + 7.5,
       CASE WHEN p % 9 = 4 THEN 'Question' ELSE v.speakers[1 + m % array_length(v.speakers, 1)] END,
       CASE WHEN p % 9 = 4 THEN v.outlets[1 + p % array_length(v.outlets, 1)] ELSE '' END,
       p % 9 = 4, l, t
     FROM unnest($1::integer[], $2::integer[], $3::text[], $4::text[]) AS s(m, p, l, t),
       (SELECT $5::text[] AS speakers, $6::text[] AS outlets) v`,
    [items, positions, langs, texts, speakers, outlets],
  );
}

/** A sentence of WORDS_PER_SEGMENT words, common ones more often (index ∝ r²), now and then a rare name. */
function sentence(words: string[], random: () => number): string {
  const picked: string[] = [];
  for (let i = 0; i < WORDS_PER_SEGMENT; i++) picked.push(words[Math.floor(words.length * random() ** 2)]!);
  if (random() < 1 / RARE_EVERY)
    picked[1 + Math.floor(random() * (WORDS_PER_SEGMENT - 1))] =
      rareNames[Math.floor(random() * rareNames.length)]!;
  const first = picked[0]!;
  picked[0] = first.charAt(0).toUpperCase() + first.slice(1);
  return `${picked.join(" ")}.`;
}

/** mulberry32: small, fast and the same on every run for the same seed. */
function generator(seed: number): () => number {
  let state = (seed * 2654435761) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function elapsed(started: number): string {
  return ((performance.now() - started) / 1000).toFixed(0);
}

export interface IndexSizes {
  /** search_documents with its TOAST and indexes. */
  total: number;
  heap: number;
  toast: number;
  fullIndex: number;
  headIndex: number;
  titleIndex: number;
  /** Adjacent word pairs (017_search_pairs.sql), for phrases. */
  pairsIndex: number;
  /** transcript_segments' GIN index on its sentences' tsvector (the hits read it). */
  segmentsIndex: number;
  segmentsTotal: number;
}

/** Sizes on disk of what search reads, in bytes. */
export async function indexSizes(db: Database): Promise<IndexSizes> {
  const [row] = await db.query<Record<keyof IndexSizes, string>>(
    `SELECT pg_total_relation_size('search_documents') AS total, pg_relation_size('search_documents') AS heap,
       (SELECT pg_total_relation_size(reltoastrelid) FROM pg_class WHERE relname = 'search_documents') AS toast,
       pg_relation_size('search_documents_full') AS "fullIndex", pg_relation_size('search_documents_head') AS "headIndex",
       pg_relation_size('search_documents_title') AS "titleIndex",
       pg_relation_size('search_documents_pairs') AS "pairsIndex",
       pg_relation_size('transcript_segments_tsv') AS "segmentsIndex",
       pg_total_relation_size('transcript_segments') AS "segmentsTotal"`,
  );
  const sizes = {} as IndexSizes;
  for (const key of Object.keys(row!) as (keyof IndexSizes)[]) sizes[key] = Number(row![key]);
  return sizes;
}
