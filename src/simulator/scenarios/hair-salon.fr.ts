import type { ScenarioQuestion, ScenarioVariable, SimScenario } from '../scenario.types';

// The parts the salon agents share (each agent gets its own copies and question ids).
const variable = (name: string, type: string, description: string): ScenarioVariable => ({
  name,
  type,
  description,
});

/** The variables the platform fills in on every call, then the manager's first name. */
const platformVariables = (): ScenarioVariable[] => [
  variable('from_number', 'string', 'Caller phone number'),
  variable('to_number', 'string', 'Receiver phone number'),
  variable('call_start_time', 'datetime', 'Call start time'),
  variable('call_id', 'string', 'Call ID'),
  variable('prenom', 'string', 'Prénom du gérant'),
];

/** The salon's own variables, as the lead files carry them. */
const salonVariables = (): ScenarioVariable[] => [
  variable('nom_du_salon', 'string', 'Nom du salon'),
  variable('ville', 'string', 'Ville du salon'),
];

const interestedQuestion = (id: string, trueRate: number): ScenarioQuestion => ({
  id,
  name: 'interested',
  description: 'Le gérant est-il intéressé par une démonstration ?',
  type: 'boolean',
  optional: false,
  question_origin: 'system',
  answer: { rate: 0.95, true_rate: trueRate },
});

const callBackQuestion = (id: string): ScenarioQuestion => ({
  id,
  name: 'rappel_souhaite',
  description: 'Le gérant souhaite-t-il être rappelé ?',
  type: 'boolean',
  optional: true,
  question_origin: 'user',
  answer: { rate: 0.9, true_rate: 0.3 },
});

const commentQuestion = (id: string, texts: string[]): ScenarioQuestion => ({
  id,
  name: 'commentaire',
  description: 'Remarque libre du gérant',
  type: 'text',
  optional: true,
  question_origin: 'user',
  answer: { rate: 0.5, texts },
});

/**
 * Default scenario: a French hair-salon qualification agent. Kept as a TypeScript module so it
 * loads the same way compiled (CommonJS) and under Jest ESM (where __dirname does not exist).
 * hair-salon.fr.json is the same data for `SIMULATOR_SCENARIO`; a test keeps them equal.
 */
export const HAIR_SALON_FR_SCENARIO: SimScenario = {
  name: 'hair-salon.fr',
  organization_id: '5d8e2a61-3c4b-4f0e-9a7d-2b1c6e8f9a01',
  created_at: '2026-01-05T09:00:00.000Z',
  cost_per_minute: 0.12,
  unknown_status: 'voicemail',
  outcomes: { completed: 70, missed: 20, failed: 10, unknown: 0 },
  phone_numbers: [
    {
      id: '0b7f4c2e-91d3-4a58-8e6f-3a2d1c0b9e81',
      number: '+33912345678',
      name: 'Ligne prospection Paris',
      inbound_agent_id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
      created_at: '2026-01-05T09:10:00.000Z',
    },
    {
      id: '1c8a5d3f-a2e4-4b69-9f70-4b3e2d1c0fa2',
      number: '+33912345679',
      name: 'Ligne prospection Lyon',
      inbound_agent_id: null,
      created_at: '2026-01-06T09:10:00.000Z',
    },
    {
      id: '2d9b6e4a-b3f5-4c7a-a081-5c4f3e2d1ab3',
      number: '+33187654321',
      name: 'Ligne relance',
      inbound_agent_id: 'f47ac10b-58cc-4372-a567-0e02b2c3d479',
      created_at: '2026-01-07T09:10:00.000Z',
    },
  ],
  agents: [
    {
      id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
      name: 'Qualification salons de coiffure',
      language: 'fr',
      version: 3,
      initial_message: 'Bonjour {{prenom}}, je vous appelle au sujet du salon {{nom_du_salon}}.',
      max_call_duration: 600,
      base_prompt: 'Tu es une assistante commerciale qui qualifie des salons de coiffure.',
      variables: [...platformVariables(), ...salonVariables()],
      post_call_questions: [
        interestedQuestion('3e1f7a2b-4c5d-4e6f-8a9b-0c1d2e3f4a51', 0.35),
        {
          id: '4f2a8b3c-5d6e-4f70-9b8c-1d2e3f4a5b62',
          name: 'nb_employes',
          description: 'Nombre de coiffeurs et coiffeuses dans le salon',
          type: 'number',
          optional: true,
          question_origin: 'user',
          examples: ['3', '8'],
          answer: { rate: 0.8, min: 1, max: 15 },
        },
        {
          id: '5a3b9c4d-6e7f-4a81-8c9d-2e3f4a5b6c73',
          name: 'logiciel_actuel',
          description: 'Logiciel de prise de rendez-vous utilisé aujourd’hui',
          type: 'single_choice',
          optional: true,
          question_origin: 'user',
          options: [
            { id: '6b4cad5e-7f80-4b92-9dae-3f4a5b6c7d84', value: 'Aucun', weight: 3 },
            { id: '7c5dbe6f-8091-4ca3-8ebf-4a5b6c7d8e95', value: 'Planity', weight: 3 },
            { id: '8d6ecf70-91a2-4db4-9fc0-5b6c7d8e9fa6', value: 'Kiute', weight: 1 },
            { id: '9e7fd081-a2b3-4ec5-a0d1-6c7d8e9fa0b7', value: 'Shortcuts', weight: 1 },
            { id: 'af80e192-b3c4-4fd6-b1e2-7d8e9fa0b1c8', value: 'Agenda papier', weight: 2 },
            { id: 'b091f2a3-c4d5-4ae7-82f3-8e9fa0b1c2d9', value: 'Autre', weight: 1 },
          ],
          answer: { rate: 0.85 },
        },
        {
          id: 'c1a2b3d4-d5e6-4f08-9304-9fa0b1c2d3ea',
          name: 'services',
          description: 'Prestations proposées par le salon',
          type: 'multiple_choice',
          optional: true,
          question_origin: 'user',
          options: [
            { id: 'd2b3c4e5-e6f7-4a19-8415-a0b1c2d3e4fb', value: 'Coupe femme', weight: 0.9 },
            { id: 'e3c4d5f6-f708-4b2a-9526-b1c2d3e4f50c', value: 'Coupe homme', weight: 0.7 },
            { id: 'f4d5e607-0819-4c3b-a637-c2d3e4f5061d', value: 'Coloration', weight: 0.75 },
            { id: '05e6f718-192a-4d4c-b748-d3e4f506172e', value: 'Barbe', weight: 0.35 },
            { id: '16f70829-2a3b-4e5d-8859-e4f50617283f', value: 'Soins', weight: 0.4 },
            { id: '2708193a-3b4c-4f6e-996a-f50617283940', value: 'Chignon mariage', weight: 0.2 },
          ],
          answer: { rate: 0.75 },
        },
        callBackQuestion('38192a4b-4c5d-4a7f-aa7b-061728394a51'),
        commentQuestion('492a3b5c-5d6e-4b80-bb8c-1728394a5b62', [
          'Rappeler plutôt le lundi, le salon est fermé.',
          'Déjà équipé, pas intéressé pour le moment.',
          'Souhaite recevoir une documentation par e-mail.',
          'Le gérant est absent, parler à la responsable.',
          'Intéressé par la gestion des stocks.',
        ]),
      ],
    },
    {
      id: 'f47ac10b-58cc-4372-a567-0e02b2c3d479',
      name: 'Relance rendez-vous démonstration',
      language: 'fr',
      version: 1,
      initial_message: 'Bonjour {{prenom}}, je reviens vers vous pour la démonstration.',
      max_call_duration: 300,
      base_prompt: 'Tu relances les salons intéressés pour fixer une démonstration.',
      variables: platformVariables(),
      post_call_questions: [
        {
          id: '5a3b4c6d-6e7f-4c91-8c9d-28394a5b6c73',
          name: 'rdv_pris',
          description: 'Un rendez-vous de démonstration a-t-il été fixé ?',
          type: 'boolean',
          optional: false,
          question_origin: 'system',
          answer: { rate: 0.9, true_rate: 0.5 },
        },
      ],
    },
    // The agent the README's quick start, the API contract and the dashboard's form name.
    {
      id: '411b82c8-462a-4e1b-89bc-10ab3ce1ed29',
      name: 'Relance salons',
      language: 'fr',
      version: 2,
      initial_message:
        'Bonjour {{prenom}}, je vous appelle pour le salon {{nom_du_salon}} à {{ville}}.',
      max_call_duration: 600,
      base_prompt:
        'Tu relances les salons de coiffure et proposes une démonstration de notre logiciel de réservation.',
      variables: [
        ...platformVariables(),
        ...salonVariables(),
        variable('nombre_de_fauteuils', 'number', 'Nombre de fauteuils du salon'),
      ],
      post_call_questions: [
        interestedQuestion('a1b2c3d4-0411-4b82-8c84-62a4e1b89bc1', 0.4),
        callBackQuestion('a1b2c3d4-0411-4b82-8c84-62a4e1b89bc2'),
        commentQuestion('a1b2c3d4-0411-4b82-8c84-62a4e1b89bc3', [
          'Rappeler plutôt le lundi, le salon est fermé.',
          'Souhaite recevoir une documentation par e-mail.',
          'Déjà équipé, pas intéressé pour le moment.',
        ]),
      ],
    },
  ],
};
