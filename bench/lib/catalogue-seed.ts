import type { Database } from "../../src/db/database.ts";

/**
 * A catalogue of `items` media items in events of ten, a programme for each event, and
 * transcripts of `words` words in all, written with SQL that runs on PGlite and PostgreSQL alike.
 * Text is drawn from EN and FR word lists, common words more often than rare ones, so full-text
 * search has realistic posting lists to go through.
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

export interface CatalogueSeed {
  events: number;
  items: number;
  transcriptItems: number;
  segments: number;
  words: number;
  seconds: number;
}

export async function seedCatalogue(
  db: Database,
  options: { items: number; words: number },
  log: (line: string) => void,
): Promise<CatalogueSeed> {
  const started = performance.now();
  const events = Math.max(1, Math.ceil(options.items / 10));
  const wordsPerSegment = 20;
  // Transcripts go to one video item in seven (long press conferences), at least 1 000 words each.
  const videoItems = Math.ceil((options.items * 14) / 20);
  const transcriptItems = Math.max(1, Math.min(videoItems, Math.floor(options.words / 1000)));
  const segmentsPerItem = Math.ceil(options.words / wordsPerSegment / transcriptItems);

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
  log(
    `${options.items} items, their posters and programmes (${((performance.now() - started) / 1000).toFixed(0)} s)`,
  );

  // Transcripts in batches, so progress shows and no statement holds all of it at once.
  const ids = (
    await db.query<{ id: number }>(
      "SELECT id FROM media_items WHERE media_type = 'video' ORDER BY id % 7, id LIMIT $1",
      [transcriptItems],
    )
  ).map((r) => r.id);
  const batch = 50;
  for (let i = 0; i < ids.length; i += batch) {
    await db.query(
      `INSERT INTO transcript_segments (media_item_id, position, start_seconds, end_seconds, speaker,
         questioner_outlet, is_question, lang, text)
       SELECT m, p, p * 8.0, p * 8.0 + 7.5,
         CASE WHEN p % 9 = 4 THEN 'Question' ELSE bench_pick('speakers', m) END,
         CASE WHEN p % 9 = 4 THEN bench_pick('outlets', p) ELSE '' END,
         p % 9 = 4,
         CASE WHEN (m + p / 10) % 10 < 7 THEN 'en' ELSE 'fr' END,
         CASE WHEN (m + p / 10) % 10 < 7 THEN initcap(bench_words(${EN}, 1)) || ' ' || bench_words(${EN}, $2 - 1) || '.'
              ELSE initcap(bench_words(${FR}, 1)) || ' ' || bench_words(${FR}, $2 - 1) || '.' END
       FROM unnest($1::integer[]) m, generate_series(0, $3::integer - 1) p`,
      [ids.slice(i, i + batch), wordsPerSegment, segmentsPerItem],
    );
    if ((i / batch) % 5 === 4 || i + batch >= ids.length)
      log(
        `transcripts: ${Math.min(i + batch, ids.length)} of ${ids.length} items (${((performance.now() - started) / 1000).toFixed(0)} s)`,
      );
  }
  await db.exec(
    "DROP FUNCTION bench_words(text, integer); DROP FUNCTION bench_pick(text, integer); DROP TABLE bench_vocab; ANALYZE;",
  );
  const [counts] = await db.query<{ segments: number; words: number }>(
    "SELECT count(*)::integer AS segments, coalesce(sum(array_length(regexp_split_to_array(text, '\\s+'), 1)), 0)::integer AS words FROM transcript_segments",
  );
  return {
    events,
    items: options.items,
    transcriptItems: ids.length,
    segments: counts!.segments,
    words: counts!.words,
    seconds: (performance.now() - started) / 1000,
  };
}
