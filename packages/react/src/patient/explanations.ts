/**
 * Plain-language explanations shown to patients. Content is data, per language, so a portal can
 * replace or translate it (`<PatientViewer explanations={...}>`). Keys: modality codes (PS3.3
 * C.7.3.1.1.1), Body Part Examined values (PS3.16 Annex L), and terms found in report text.
 */
export interface Explanation {
  title: string;
  text: string;
}

export interface TermExplanation extends Explanation {
  /** Lower-case words or phrases that, found in the report or description, show this explanation. */
  match: readonly string[];
}

export interface ExplanationCatalogue {
  modality: Record<string, Explanation>;
  bodyPart: Record<string, Explanation>;
  terms: Record<string, TermExplanation>;
}

export const explanationsEn: ExplanationCatalogue = {
  modality: {
    CT: {
      title: 'CT scan',
      text: 'A CT (computed tomography) scan uses X-rays taken from many angles to build cross-section pictures of the inside of your body.',
    },
    MR: {
      title: 'MRI',
      text: 'An MRI (magnetic resonance imaging) uses a strong magnet and radio waves, not X-rays, to make detailed pictures of soft tissues such as the brain, joints and muscles.',
    },
    CR: {
      title: 'X-ray',
      text: 'An X-ray uses a small dose of radiation to take a picture, mostly of bones and the chest.',
    },
    DX: {
      title: 'X-ray',
      text: 'A digital X-ray uses a small dose of radiation to take a picture, mostly of bones and the chest.',
    },
    US: {
      title: 'Ultrasound',
      text: 'An ultrasound uses sound waves to see organs and blood flow. It uses no radiation.',
    },
    MG: {
      title: 'Mammogram',
      text: 'A mammogram is a low-dose X-ray of the breast, used to find changes early.',
    },
    NM: {
      title: 'Nuclear medicine',
      text: 'A nuclear medicine scan uses a tiny amount of a radioactive tracer to show how organs work.',
    },
    PT: {
      title: 'PET scan',
      text: 'A PET scan uses a tracer to show how active the cells in your body are.',
    },
  },
  bodyPart: {
    HEAD: { title: 'Head', text: 'Pictures of the head, including the brain and skull.' },
    BRAIN: { title: 'Brain', text: 'Pictures of the brain.' },
    CHEST: { title: 'Chest', text: 'Pictures of the chest: lungs, heart and ribs.' },
    ABDOMEN: { title: 'Abdomen', text: 'Pictures of the belly: liver, kidneys, bowel and other organs.' },
    KNEE: { title: 'Knee', text: 'Pictures of the knee joint: bones, cartilage, ligaments and menisci.' },
    SPINE: { title: 'Spine', text: 'Pictures of the backbone and the spinal cord.' },
  },
  terms: {
    unremarkable: {
      title: 'Unremarkable',
      text: 'Nothing unusual was found. This is good news.',
      match: ['unremarkable', 'no abnormality', 'normal'],
    },
    contrast: {
      title: 'Contrast',
      text: 'A dye that makes some parts of the body easier to see on the pictures.',
      match: ['contrast'],
    },
    effusion: {
      title: 'Effusion',
      text: 'A build-up of fluid, for example in a joint.',
      match: ['effusion'],
    },
    haemorrhage: { title: 'Haemorrhage', text: 'Bleeding.', match: ['haemorrhage', 'hemorrhage'] },
    lesion: {
      title: 'Lesion',
      text: 'An area that looks different from the tissue around it. Many lesions are harmless.',
      match: ['lesion'],
    },
    series: {
      title: 'Series',
      text: 'One set of pictures taken in one go. A study often has several series.',
      match: [],
    },
  },
};

export const explanationsFr: ExplanationCatalogue = {
  modality: {
    CT: {
      title: 'Scanner',
      text: "Un scanner (tomodensitométrie) utilise des rayons X pris sous de nombreux angles pour construire des images en coupe de l'intérieur du corps.",
    },
    MR: {
      title: 'IRM',
      text: "L'IRM (imagerie par résonance magnétique) utilise un aimant puissant et des ondes radio, pas de rayons X, pour des images détaillées des tissus mous comme le cerveau, les articulations et les muscles.",
    },
    CR: {
      title: 'Radiographie',
      text: 'Une radiographie utilise une petite dose de rayons X pour photographier surtout les os et le thorax.',
    },
    DX: {
      title: 'Radiographie',
      text: 'Une radiographie numérique utilise une petite dose de rayons X pour photographier surtout les os et le thorax.',
    },
    US: {
      title: 'Échographie',
      text: "Une échographie utilise des ultrasons pour voir les organes et la circulation du sang. Elle n'utilise aucun rayonnement.",
    },
    MG: {
      title: 'Mammographie',
      text: 'Une mammographie est une radiographie du sein à faible dose, pour détecter tôt les changements.',
    },
    NM: {
      title: 'Médecine nucléaire',
      text: "Une scintigraphie utilise une infime quantité d'un traceur radioactif pour montrer le fonctionnement des organes.",
    },
    PT: { title: 'TEP', text: "Une TEP utilise un traceur pour montrer l'activité des cellules du corps." },
  },
  bodyPart: {
    HEAD: { title: 'Tête', text: 'Images de la tête, y compris le cerveau et le crâne.' },
    BRAIN: { title: 'Cerveau', text: 'Images du cerveau.' },
    CHEST: { title: 'Thorax', text: 'Images du thorax : poumons, cœur et côtes.' },
    ABDOMEN: { title: 'Abdomen', text: 'Images du ventre : foie, reins, intestins et autres organes.' },
    KNEE: {
      title: 'Genou',
      text: "Images de l'articulation du genou : os, cartilage, ligaments et ménisques.",
    },
    SPINE: { title: 'Colonne vertébrale', text: 'Images de la colonne vertébrale et de la moelle épinière.' },
  },
  terms: {
    unremarkable: {
      title: 'Sans particularité',
      text: "Rien d'inhabituel n'a été trouvé. C'est une bonne nouvelle.",
      match: ['unremarkable', 'no abnormality', 'normal', 'sans particularité', 'normal'],
    },
    contrast: {
      title: 'Produit de contraste',
      text: 'Un produit qui rend certaines parties du corps plus visibles sur les images.',
      match: ['contrast', 'contraste'],
    },
    effusion: {
      title: 'Épanchement',
      text: 'Une accumulation de liquide, par exemple dans une articulation.',
      match: ['effusion', 'épanchement'],
    },
    haemorrhage: {
      title: 'Hémorragie',
      text: 'Un saignement.',
      match: ['haemorrhage', 'hemorrhage', 'hémorragie'],
    },
    lesion: {
      title: 'Lésion',
      text: 'Une zone qui paraît différente des tissus autour. Beaucoup de lésions sont sans gravité.',
      match: ['lesion', 'lésion'],
    },
    series: {
      title: 'Série',
      text: "Un ensemble d'images prises en une fois. Un examen comporte souvent plusieurs séries.",
      match: [],
    },
  },
};

export const builtInExplanations: Record<string, ExplanationCatalogue> = {
  en: explanationsEn,
  fr: explanationsFr,
};

export interface ExplanationSubject {
  modalities: readonly string[];
  bodyParts: readonly string[];
  /** Report and description text, searched for known terms. */
  text: string;
}

/** The explanations that apply to a study, modality first, then body part, then terms found in its text. */
export function explanationsFor(catalogue: ExplanationCatalogue, subject: ExplanationSubject): Explanation[] {
  const found: Explanation[] = [];
  const seen = new Set<string>();
  const add = (explanation: Explanation | undefined) => {
    if (explanation && !seen.has(explanation.title)) {
      seen.add(explanation.title);
      found.push(explanation);
    }
  };
  for (const modality of subject.modalities) add(catalogue.modality[modality.toUpperCase()]);
  for (const bodyPart of subject.bodyParts) add(catalogue.bodyPart[bodyPart.toUpperCase()]);
  const text = subject.text.toLowerCase();
  for (const term of Object.values(catalogue.terms)) {
    if (term.match.some((word) => text.includes(word))) add(term);
  }
  return found;
}
