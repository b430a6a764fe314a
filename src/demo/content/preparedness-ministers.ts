import { belvarreInteriorMinister } from "./organisation.ts";
import type { DemoEvent } from "./types.ts";

/** Event 2: a ministers' meeting a week earlier, chaired in French, with a statement and B-roll. */
export const preparednessMinisters: DemoEvent = {
  slug: "civil-preparedness-ministers-meeting",
  startsAt: { dayOffset: -8, time: "09:00" },
  endsAt: { dayOffset: -8, time: "16:30" },
  place: { en: "Maravel, Alliance Headquarters", fr: "Maravel, siège de l’Alliance" },
  title: {
    en: "Meeting of Ministers responsible for Civil Preparedness",
    fr: "Réunion des ministres chargés de la préparation civile",
  },
  summary: {
    en:
      "Ministers adopted common standards to protect energy networks and undersea cables, and agreed to " +
      "hold a joint crisis exercise every year.",
    fr:
      "Les ministres ont adopté des normes communes pour protéger les réseaux d’énergie et les câbles " +
      "sous-marins, et sont convenus d’organiser chaque année un exercice de crise commun.",
  },
  body: {
    en: [
      "Ministers responsible for civil preparedness met in Maravel under the chairmanship of Claire Dumontel, " +
        "Minister of the Interior of Belvarre.",
      "They adopted common minimum standards for the protection of energy networks and undersea cables, which " +
        "member states will apply within eighteen months.",
      "Ministers agreed to hold a joint crisis exercise every year, involving civil protection services, " +
        "network operators and local authorities. The first exercise will take place in the autumn in Corvenia.",
      "The Chair presented the conclusions to the press at the end of the meeting.",
    ].join("\n\n"),
    fr: [
      "Les ministres chargés de la préparation civile se sont réunis à Maravel sous la présidence de Claire " +
        "Dumontel, ministre de l’Intérieur de Belvarre.",
      "Ils ont adopté des normes minimales communes pour la protection des réseaux d’énergie et des câbles " +
        "sous-marins, que les États membres appliqueront dans un délai de dix-huit mois.",
      "Les ministres sont convenus d’organiser chaque année un exercice de crise commun, associant les " +
        "services de protection civile, les gestionnaires de réseaux et les autorités locales. Le premier " +
        "exercice aura lieu à l’automne en Corvénie.",
      "La présidente a présenté les conclusions à la presse à l’issue de la réunion.",
    ].join("\n\n"),
  },
  programme: [
    { time: "09:00", title: { en: "Arrival of ministers", fr: "Arrivée des ministres" } },
    {
      time: "09:30",
      title: {
        en: "Roundtable (opening, open to the press)",
        fr: "Tour de table (ouverture, ouverte à la presse)",
      },
      itemKey: "cp-roundtable",
    },
    { time: "10:00", title: { en: "Working session", fr: "Séance de travail" } },
    {
      time: "16:00",
      title: { en: "Statement by the Chair", fr: "Déclaration de la présidente" },
      itemKey: "cp-statement",
    },
  ],
  items: [
    {
      key: "cp-statement",
      mediaType: "video",
      kind: "statement",
      recordedAt: { dayOffset: -8, time: "16:00" },
      title: {
        en: "Statement by Claire Dumontel, Minister of the Interior of Belvarre, Chair of the meeting",
        fr: "Déclaration de Claire Dumontel, ministre de l’Intérieur de Belvarre, présidente de la réunion",
      },
      description: {
        en: "The Chair presents the conclusions of the meeting (in French).",
        fr: "La présidente présente les conclusions de la réunion (en français).",
      },
      shotList: {
        en: [
          "1. Wide shot, press room",
          "2. SOUNDBITE (French), Claire Dumontel, Minister of the Interior of Belvarre",
          "3. Cutaway, camera operators",
        ].join("\n"),
        fr: [
          "1. Plan large, salle de presse",
          "2. EXTRAIT SONORE (français), Claire Dumontel, ministre de l’Intérieur de Belvarre",
          "3. Plan de coupe, cameramen",
        ].join("\n"),
      },
      speakers: [belvarreInteriorMinister.name],
      languages: ["fr"],
      turns: [
        {
          kind: "speech",
          speaker: belvarreInteriorMinister,
          lang: "fr",
          sentences: [
            "Mesdames et Messieurs, bonjour.",
            "Nous avons adopté aujourd'hui des normes communes pour protéger nos réseaux d'énergie et nos câbles sous-marins.",
            "Ces infrastructures ne connaissent pas de frontières, et leur protection ne peut pas s'arrêter aux frontières.",
            "Nous avons également décidé d'organiser chaque année un exercice de crise commun.",
            "Le premier aura lieu cet automne en Corvénie.",
            "Je vous remercie.",
          ],
        },
      ],
    },
    {
      key: "cp-roundtable",
      mediaType: "video",
      kind: "b-roll",
      recordedAt: { dayOffset: -8, time: "09:30" },
      title: { en: "Roundtable: B-roll", fr: "Tour de table : images d’illustration" },
      description: {
        en: "Ministers take their seats for the opening of the meeting. Natural sound.",
        fr: "Les ministres prennent place pour l’ouverture de la réunion. Son d’ambiance.",
      },
      shotList: {
        en: [
          "1. Wide shot, meeting room",
          "2. Medium shot, Claire Dumontel opens the meeting",
          "3. Close-up, name plates of member states",
          "4. Wide shot, ministers around the table",
        ].join("\n"),
        fr: [
          "1. Plan large, salle de réunion",
          "2. Plan moyen, Claire Dumontel ouvre la réunion",
          "3. Gros plan, chevalets des États membres",
          "4. Plan large, les ministres autour de la table",
        ].join("\n"),
      },
      speakers: [],
      languages: [],
      turns: [],
      seconds: 20,
    },
    {
      key: "cp-roundtable-photo",
      mediaType: "photo",
      kind: "meeting",
      recordedAt: { dayOffset: -8, time: "09:35" },
      photographer: "Ana Reis",
      colours: ["0x6d597a", "0xeaac8b"],
      title: { en: "Roundtable", fr: "Tour de table" },
      description: {
        en: "Claire Dumontel, Minister of the Interior of Belvarre, opens the meeting of ministers.",
        fr: "Claire Dumontel, ministre de l’Intérieur de Belvarre, ouvre la réunion des ministres.",
      },
      shotList: { en: "", fr: "" },
    },
  ],
};
