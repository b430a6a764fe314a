import { estmarkForeignMinister, journalists, secretaryGeneral } from "./organisation.ts";
import type { DemoEvent } from "./types.ts";

/** Event 1: the foreign ministers' meeting, with a doorstep in the morning and the press conference after. */
export const foreignMinisters: DemoEvent = {
  slug: "foreign-ministers-meeting-maravel",
  startsAt: { dayOffset: -1, time: "08:30" },
  endsAt: { dayOffset: -1, time: "14:00" },
  place: { en: "Maravel, Alliance Headquarters", fr: "Maravel, siège de l’Alliance" },
  title: {
    en: "Meeting of Ministers of Foreign Affairs",
    fr: "Réunion des ministres des Affaires étrangères",
  },
  summary: {
    en:
      "Foreign ministers of the Meridian Alliance agreed to open accession talks with Lusandre, to step up " +
      "maritime security in the Varn Strait and to release 40 million euros of humanitarian aid for the " +
      "flood-hit regions of Corvenia.",
    fr:
      "Les ministres des Affaires étrangères de l’Alliance du Méridien ont décidé d’ouvrir les négociations " +
      "d’adhésion avec la Lusandre, de renforcer la sécurité maritime dans le détroit de Varn et de débloquer " +
      "40 millions d’euros d’aide humanitaire pour les régions de Corvénie touchées par les inondations.",
  },
  body: {
    en: [
      "The ministers of foreign affairs of the twelve member states met at Alliance Headquarters in Maravel, " +
        "chaired by Tomas Ekwall, Minister for Foreign Affairs of Estmark.",
      "Ministers decided by consensus to open accession negotiations with Lusandre, recognising the reforms " +
        "carried out over the past two years. The pace of the negotiations will depend on further progress, " +
        "in particular on the independence of the judiciary and on public procurement.",
      "Ministers approved an operational plan for joint maritime patrols in the Varn Strait, through which a " +
        "third of the Alliance’s trade passes. The first patrols will begin next month.",
      "A humanitarian package of 40 million euros was approved for the regions of Corvenia affected by the " +
        "spring floods. It will be delivered through the Alliance’s civil protection mechanism, under " +
        "independent audit.",
      "Ministers also prepared the summit of heads of state and government to be held in June.",
      "Secretary General Elin Castellane presented the results at a press conference at the end of the meeting.",
    ].join("\n\n"),
    fr: [
      "Les ministres des Affaires étrangères des douze États membres se sont réunis au siège de l’Alliance " +
        "à Maravel, sous la présidence de Tomas Ekwall, ministre des Affaires étrangères d’Estmark.",
      "Les ministres ont décidé par consensus d’ouvrir les négociations d’adhésion avec la Lusandre, saluant " +
        "les réformes menées au cours des deux dernières années. Le rythme des négociations dépendra des " +
        "progrès à venir, notamment en matière d’indépendance de la justice et de marchés publics.",
      "Les ministres ont approuvé un plan opérationnel de patrouilles maritimes conjointes dans le détroit de " +
        "Varn, par lequel transite un tiers des échanges de l’Alliance. Les premières patrouilles commenceront " +
        "le mois prochain.",
      "Une aide humanitaire de 40 millions d’euros a été approuvée pour les régions de Corvénie touchées par " +
        "les inondations du printemps. Elle sera acheminée par le mécanisme de protection civile de " +
        "l’Alliance, sous le contrôle d’un audit indépendant.",
      "Les ministres ont également préparé le sommet des chefs d’État et de gouvernement prévu en juin.",
      "La secrétaire générale, Elin Castellane, a présenté les résultats lors d’une conférence de presse à " +
        "l’issue de la réunion.",
    ].join("\n\n"),
  },
  programme: [
    {
      time: "08:30",
      title: { en: "Arrival of ministers", fr: "Arrivée des ministres" },
      itemKey: "fm-arrival",
    },
    {
      time: "08:45",
      title: { en: "Doorstep statement by the Chair", fr: "Déclaration à la presse du président" },
      itemKey: "fm-doorstep",
    },
    {
      time: "09:00",
      title: {
        en: "First working session (closed to the press)",
        fr: "Première séance de travail (à huis clos)",
      },
    },
    { time: "12:30", title: { en: "Family photo", fr: "Photo de famille" }, itemKey: "fm-family-photo" },
    {
      time: "13:15",
      title: {
        en: "Press conference by the Secretary General",
        fr: "Conférence de presse de la secrétaire générale",
      },
      itemKey: "fm-press-conference",
    },
  ],
  items: [
    {
      key: "fm-press-conference",
      mediaType: "video",
      kind: "press-conference",
      recordedAt: { dayOffset: -1, time: "13:15" },
      title: {
        en: "Press conference by Secretary General Elin Castellane following the meeting of foreign ministers",
        fr: "Conférence de presse de la secrétaire générale, Elin Castellane, à l’issue de la réunion des ministres des Affaires étrangères",
      },
      description: {
        en: "Opening statement as delivered, followed by questions and answers in English and French.",
        fr: "Déclaration liminaire telle que prononcée, suivie de questions et réponses en anglais et en français.",
      },
      shotList: {
        en: [
          "1. Wide shot, press room at Alliance Headquarters",
          "2. Medium shot, Secretary General Elin Castellane arrives at the podium",
          "3. SOUNDBITE (English), Elin Castellane, Secretary General: opening statement",
          "4. Cutaway, journalists taking notes",
          "5. Questions and answers (English and French)",
          "6. Wide shot, the Secretary General leaves the podium",
        ].join("\n"),
        fr: [
          "1. Plan large, salle de presse au siège de l’Alliance",
          "2. Plan moyen, la secrétaire générale, Elin Castellane, arrive au pupitre",
          "3. EXTRAIT SONORE (anglais), Elin Castellane, secrétaire générale : déclaration liminaire",
          "4. Plan de coupe, journalistes prenant des notes",
          "5. Questions et réponses (anglais et français)",
          "6. Plan large, la secrétaire générale quitte le pupitre",
        ].join("\n"),
      },
      speakers: [
        secretaryGeneral.name,
        journalists.aberg.name,
        journalists.marchetti.name,
        journalists.torvik.name,
      ],
      languages: ["en", "fr"],
      turns: [
        {
          kind: "speech",
          speaker: secretaryGeneral,
          lang: "en",
          sentences: [
            "Good afternoon, and thank you for joining us.",
            "Foreign ministers of the Meridian Alliance have just concluded a productive meeting here in Maravel.",
            "We took three decisions today.",
            "First, ministers agreed to open accession talks with Lusandre, which has carried out far-reaching reforms over the past two years.",
            "Accession is a merit-based process, and today's decision recognises the work of the government and the people of Lusandre.",
            "Second, we agreed to strengthen maritime security in the Varn Strait, through which a third of our trade passes.",
            "The Alliance will increase joint patrols and share information in real time with coastal authorities.",
            "Third, ministers approved forty million euros of humanitarian aid for the regions of Corvenia hit by the spring floods.",
            "Ministers also began preparing the summit of heads of state and government in June.",
            "Our Alliance is stronger when we act together, and today we have shown that we can.",
            "I am happy to take your questions.",
          ],
        },
        {
          kind: "question",
          journalist: journalists.aberg,
          lang: "en",
          sentences: [
            "Secretary General, how long do you expect the accession talks with Lusandre to take?",
            "And is any member state still opposed?",
          ],
        },
        {
          kind: "speech",
          speaker: secretaryGeneral,
          lang: "en",
          sentences: [
            "There is no fixed timetable, and there should not be one.",
            "The pace will depend on reforms, especially on the independence of the courts.",
            "Today's decision was taken by consensus, by all twelve member states.",
          ],
        },
        {
          kind: "question",
          journalist: journalists.marchetti,
          lang: "fr",
          sentences: [
            "Madame la Secrétaire générale, une question sur le détroit de Varn.",
            "Les patrouilles conjointes commenceront-elles avant l'été ?",
          ],
        },
        {
          kind: "speech",
          speaker: secretaryGeneral,
          lang: "fr",
          sentences: [
            "Oui, les premières patrouilles commenceront dès le mois prochain.",
            "Les ministres ont approuvé aujourd'hui le plan opérationnel, et les moyens sont déjà identifiés.",
            "Notre objectif est simple : garantir la liberté de navigation et la sécurité des équipages.",
          ],
        },
        {
          kind: "question",
          journalist: journalists.torvik,
          lang: "en",
          sentences: ["On the flood aid, how will you make sure the money reaches the people who need it?"],
        },
        {
          kind: "speech",
          speaker: secretaryGeneral,
          lang: "en",
          sentences: [
            "That is a fair question.",
            "The funds will go through our civil protection mechanism, with independent audits at every stage.",
            "And we will publish a report on how every euro was spent.",
          ],
        },
      ],
    },
    {
      key: "fm-doorstep",
      mediaType: "video",
      kind: "doorstep",
      recordedAt: { dayOffset: -1, time: "08:45" },
      title: {
        en: "Doorstep statement by Tomas Ekwall, Minister for Foreign Affairs of Estmark, Chair of the meeting",
        fr: "Déclaration à la presse de Tomas Ekwall, ministre des Affaires étrangères d’Estmark, président de la réunion",
      },
      description: {
        en: "The Chair speaks to the press on arrival, before the first working session.",
        fr: "Le président s’adresse à la presse à son arrivée, avant la première séance de travail.",
      },
      shotList: {
        en: [
          "1. Wide shot, Tomas Ekwall arrives at Alliance Headquarters",
          "2. SOUNDBITE (English), Tomas Ekwall, Minister for Foreign Affairs of Estmark",
          "3. Wide shot, the minister enters the building",
        ].join("\n"),
        fr: [
          "1. Plan large, arrivée de Tomas Ekwall au siège de l’Alliance",
          "2. EXTRAIT SONORE (anglais), Tomas Ekwall, ministre des Affaires étrangères d’Estmark",
          "3. Plan large, le ministre entre dans le bâtiment",
        ].join("\n"),
      },
      speakers: [estmarkForeignMinister.name],
      languages: ["en"],
      turns: [
        {
          kind: "speech",
          speaker: estmarkForeignMinister,
          lang: "en",
          sentences: [
            "Good morning.",
            "Today we will take important decisions on enlargement, on maritime security and on humanitarian aid.",
            "Estmark supports opening accession talks with Lusandre, and I expect a clear decision this afternoon.",
            "Thank you.",
          ],
        },
      ],
    },
    {
      key: "fm-arrival",
      mediaType: "photo",
      kind: "photo-opportunity",
      recordedAt: { dayOffset: -1, time: "08:30" },
      photographer: "Jonas Hallberg",
      colours: ["0x1d3557", "0x457b9d"],
      title: { en: "Arrival of ministers", fr: "Arrivée des ministres" },
      description: {
        en: "Tomas Ekwall, Minister for Foreign Affairs of Estmark, is welcomed by Secretary General Elin Castellane.",
        fr: "Tomas Ekwall, ministre des Affaires étrangères d’Estmark, est accueilli par la secrétaire générale, Elin Castellane.",
      },
      shotList: { en: "", fr: "" },
    },
    {
      key: "fm-family-photo",
      mediaType: "photo",
      kind: "photo-opportunity",
      recordedAt: { dayOffset: -1, time: "12:30" },
      photographer: "Jonas Hallberg",
      colours: ["0x2a9d8f", "0xe9c46a"],
      title: { en: "Family photo", fr: "Photo de famille" },
      description: {
        en: "Family photo of the ministers of foreign affairs with Secretary General Elin Castellane.",
        fr: "Photo de famille des ministres des Affaires étrangères avec la secrétaire générale, Elin Castellane.",
      },
      shotList: { en: "", fr: "" },
    },
    {
      key: "fm-press-conference-photo",
      mediaType: "photo",
      kind: "press-conference",
      recordedAt: { dayOffset: -1, time: "13:20" },
      photographer: "Jonas Hallberg",
      colours: ["0x264653", "0xf4a261"],
      title: { en: "Press conference", fr: "Conférence de presse" },
      description: {
        en: "Secretary General Elin Castellane at the press conference following the meeting.",
        fr: "La secrétaire générale, Elin Castellane, lors de la conférence de presse à l’issue de la réunion.",
      },
      shotList: { en: "", fr: "" },
    },
  ],
};
