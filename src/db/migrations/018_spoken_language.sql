-- The language a sentence is said in, when it is not its transcript's (issue 11: a bilingual
-- event's as-delivered text, English paragraphs in the French transcript). `lang` stays the
-- transcript the sentence belongs to (its captions, its timing state); NULL here means the
-- sentence is said in that language. Pages mark the sentence with it, so a screen reader
-- pronounces it in its own language, and the API gives it as `spokenLang`.
ALTER TABLE transcript_segments ADD COLUMN spoken_lang text CHECK (spoken_lang IN ('en', 'fr'));
