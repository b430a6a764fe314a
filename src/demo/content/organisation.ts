import type { DemoOrganisation, Journalist, Person } from "./types.ts";

/**
 * A fictional alliance of fictional states, so the demo reads like real institutional press
 * material without quoting or impersonating anyone. Every name below is invented.
 */
export const organisation: DemoOrganisation = {
  name: { en: "Meridian Alliance", fr: "Alliance du Méridien" },
  credit: "© Meridian Alliance",
  usageTerms: {
    en:
      "Free of charge for news and current-affairs use by media organisations, with the credit " +
      "“© Meridian Alliance”. Not for advertising or other commercial use. Do not edit in a way " +
      "that changes the meaning of what was said.",
    fr:
      "Utilisation gratuite par les médias pour l’information et l’actualité, avec la mention " +
      "« © Alliance du Méridien ». Toute utilisation publicitaire ou commerciale est exclue. " +
      "Le montage ne doit pas modifier le sens des propos tenus.",
  },
};

export const secretaryGeneral: Person = {
  name: "Elin Castellane",
  role: {
    en: "Secretary General of the Meridian Alliance",
    fr: "Secrétaire générale de l’Alliance du Méridien",
  },
  voice: { variant: "f3", pitch: 45, wordsPerMinute: 165 },
};

export const estmarkForeignMinister: Person = {
  name: "Tomas Ekwall",
  role: {
    en: "Minister for Foreign Affairs of Estmark, Chair of the meeting",
    fr: "Ministre des Affaires étrangères d’Estmark, président de la réunion",
  },
  voice: { variant: "m3", pitch: 35, wordsPerMinute: 160 },
};

export const belvarreInteriorMinister: Person = {
  name: "Claire Dumontel",
  role: {
    en: "Minister of the Interior of Belvarre, Chair of the meeting",
    fr: "Ministre de l’Intérieur de Belvarre, présidente de la réunion",
  },
  voice: { variant: "f2", pitch: 50, wordsPerMinute: 160 },
};

export const journalists = {
  aberg: {
    name: "Daniel Aberg",
    outlet: "Meridian Public Radio",
    voice: { variant: "m1", pitch: 55, wordsPerMinute: 170 },
  },
  marchetti: {
    name: "Sophie Marchetti",
    outlet: "Le Courrier de Belvarre",
    voice: { variant: "f4", pitch: 60, wordsPerMinute: 165 },
  },
  torvik: {
    name: "Mila Torvik",
    outlet: "Estmark Television",
    voice: { variant: "f2", pitch: 65, wordsPerMinute: 170 },
  },
} satisfies Record<string, Journalist>;
