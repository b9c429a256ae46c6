import type { RelationActKind } from '@provenant/shared';

/**
 * The words the relation detector reasons with: lemmas of harmful acts (any
 * inflection is recognised, see inflections()), the kinds of target they can
 * have and the markers of intent, obligation and depiction. These are word
 * classes, not phrasings: a relation fires from how the words are put
 * together (relation-detector.ts).
 */

export type ActKind = RelationActKind;

export interface HarmAct {
  lemma: string;
  kind: ActKind;
  /** A particle that must follow ("blow up", "gun down"); the act is the pair. */
  particle?: string;
  /**
   * What the object must be for the word to mean harm: a person ("stab him"),
   * a body part of a person ("slit her throat", "break his legs"), a place or a
   * person's property ("burn down the mosque", "torch his car"), or a minor
   * ("touch a child": harmless words become abuse only with a child as object).
   */
  object: 'person' | 'body_part' | 'property' | 'minor';
  /** The word also means winning or doing well ("beat him at chess", "killing it"): a game nearby cancels it. */
  competitive?: boolean;
}

const acts = (kind: ActKind, object: HarmAct['object'], lemmas: string, extra: Partial<HarmAct> = {}): HarmAct[] =>
  lemmas.split(' ').map((lemma) => ({ lemma, kind, object, ...extra }));

export const HARM_ACTS: readonly HarmAct[] = [
  ...acts('killing', 'person', 'kill murder', { competitive: true }),
  ...acts('killing', 'person', 'assassinate end execute slaughter butcher massacre exterminate behead decapitate hang lynch strangle smother suffocate drown poison shoot stab knife gas eliminate whack crucify garrotte electrocute dismember disembowel snipe', {}),
  { lemma: 'gun', particle: 'down', kind: 'killing', object: 'person' },
  { lemma: 'mow', particle: 'down', kind: 'killing', object: 'person' },
  { lemma: 'take', particle: 'out', kind: 'killing', object: 'person' },
  { lemma: 'finish', particle: 'off', kind: 'killing', object: 'person' },
  { lemma: 'wipe', particle: 'out', kind: 'killing', object: 'person' },
  ...acts('injury', 'person', 'hurt harm injure wound punch kick stomp assault attack maim cripple torture batter bludgeon slap choke whip burn scald mutilate disfigure bash hit kidnap abduct kneecap waterboard pummel stone beat smash', {}),
  { lemma: 'beat', particle: 'up', kind: 'injury', object: 'person' },
  { lemma: 'run', particle: 'over', kind: 'injury', object: 'person' },
  { lemma: 'rough', particle: 'up', kind: 'injury', object: 'person' },
  { lemma: 'jump', kind: 'injury', object: 'person' },
  ...acts('injury', 'body_part', 'cut slit slash break snap crush gouge smash stab shoot burn'),
  ...acts('sexual_violence', 'person', 'rape molest grope fondle violate'),
  ...acts('sexual_violence', 'minor', 'touch undress seduce groom kiss caress fuck bang'),
  ...acts('destruction', 'property', 'bomb firebomb torch destroy vandalize vandalise wreck trash raze burn smash key'),
  { lemma: 'blow', particle: 'up', kind: 'destruction', object: 'property' },
  { lemma: 'burn', particle: 'down', kind: 'destruction', object: 'property' },
  { lemma: 'shoot', particle: 'up', kind: 'destruction', object: 'property' },
  ...acts('harassment', 'person', 'stalk dox doxx humiliate harass bully terrorize terrorise intimidate blackmail torment ridicule shame mock'),
];

/** Intransitive dying: the subject is the target ("the judge should die", "I hope you die"). */
export const DEATH_WORDS: ReadonlySet<string> = new Set(['die', 'dies', 'died', 'dying', 'dead', 'perish', 'bleed']);

export const BODY_PARTS: ReadonlySet<string> = new Set(
  'throat neck face head skull jaw teeth legs leg arms arm knees kneecaps fingers hands ribs bones nose eyes eye wrists spine back chest heart brains guts belly stomach tongue ears'.split(' '),
);

/** People named by what they are to the speaker or in society ("my boss", "the judge"). */
export const ROLES: ReadonlySet<string> = new Set(
  (
    'judge boss teacher principal neighbour neighbor landlord landlady tenant president senator mayor governor congressman congresswoman ' +
    'minister mp chancellor cop officer policeman policewoman sheriff detective doctor nurse coworker co-worker colleague manager supervisor ex ' +
    'ex-wife ex-husband ex-girlfriend ex-boyfriend wife husband girlfriend boyfriend fiance fiancee partner mom mum mother dad father ' +
    'stepdad stepfather stepmom stepmother brother sister son daughter stepson stepdaughter niece nephew uncle aunt cousin grandma grandmother grandpa grandfather ' +
    'roommate flatmate classmate student coach pastor priest imam rabbi ceo journalist reporter umpire cashier lawyer attorney prosecutor ' +
    'witness juror councillor councilman king queen prince princess pope kid child baby toddler girl boy woman man lady guy person teenager teen ' +
    'stranger friend bully victim hostage prisoner protester worshipper voter customer passenger employee worker staffer intern driver ' +
    'dentist therapist cyclist pedestrian jogger neighbour professor lecturer trainer tutor babysitter nanny owner chairman candidate activist influencer streamer youtuber celebrity family'
  ).split(' ').flatMap((w) => [w, plural(w)]),
);

/** Groups of people; `true` marks groups protected against hate (religion, ethnicity, nationality, sexuality, gender, disability). */
export const GROUPS: ReadonlyMap<string, boolean> = new Map([
  ...'jews muslims christians catholics hindus sikhs buddhists atheists mormons blacks whites asians mexicans immigrants migrants refugees arabs gays lesbians homosexuals queers trans transgender women females latinos hispanics africans indians pakistanis chinese palestinians israelis gypsies roma foreigners disabled'
    .split(' ')
    .map((g): [string, boolean] => [g, true]),
  ...'people traitors cops police politicians liberals conservatives republicans democrats leftists rightwingers landlords bankers journalists teachers nurses doctors soldiers kids children students protesters worshippers shoppers civilians everyone everybody anyone anybody'
    .split(' ')
    .map((g): [string, boolean] => [g, false]),
]);

/** Places and things whose destruction is an attack (a school, a mosque) rather than demolition or cooking. */
export const SENSITIVE_PLACES: ReadonlySet<string> = new Set(
  'school schools mosque synagogue church temple gurdwara courthouse court clinic hospital office offices embassy parliament capitol station mall concert stadium subway airport daycare kindergarten campus university college bar nightclub club shelter house home car apartment flat store shop restaurant'.split(
    ' ',
  ),
);

/** Words that say the object is a child (an age under 18 is found from numbers, see minor-reference.ts). */
export const MINOR_WORDS: ReadonlySet<string> = new Set(
  'child children kid kids toddler toddlers infant infants baby babies preteen preteens tween tweens minor minors underage schoolgirl schoolgirls schoolboy schoolboys kindergartner kindergartners first-grader second-grader third-grader fourth-grader fifth-grader sixth-grader seventh-grader eighth-grader grader graders prepubescent pubescent loli'.split(
    ' ',
  ),
);

export const FIRST_PERSON: ReadonlySet<string> = new Set(['i', 'we', 'me', 'us', 'myself', 'ourselves']);
export const OTHER_PEOPLE_AS_SUBJECT: ReadonlySet<string> = new Set(
  'someone somebody anyone anybody everyone everybody people you yall guys folks nobody'.split(' '),
);

export const FUTURE_MARKERS: ReadonlySet<string> = new Set(['will', 'shall', 'gonna', 'going', 'about', 'coming', 'way']);
export const DESIRE_MARKERS: ReadonlySet<string> = new Set(
  'want wanna plan planning intend intending mean ready decided determined love like wait dream dreaming fantasize fantasizing gotta itching tempted'.split(' '),
);
export const OBLIGATION_MARKERS: ReadonlySet<string> = new Set('should must ought need needs deserve deserves deserved have has better gotta'.split(' '));
export const WISH_MARKERS: ReadonlySet<string> = new Set('hope hoping wish wishing pray praying want wanna like see'.split(' '));
export const HOW_TO_MARKERS: ReadonlySet<string> = new Set(['how', 'ways', 'way', 'steps', 'guide', 'tutorial', 'tips', 'instructions', 'teach', 'best']);
/** Words of depicting: a request to film or render someone doing the act. */
export const DEPICTION_MARKERS: ReadonlySet<string> = new Set(
  'film filming record recording video videos clip clips footage scene scenes image images picture pictures photo photos animation animate gif render show showing depict depicting livestream stream cartoon meme deepfake reel tiktok generate make create draw'.split(
    ' ',
  ),
);
/** Words that may sit between the start of a clause and an imperative ("please just go kill him"). */
export const IMPERATIVE_LEAD_INS: ReadonlySet<string> = new Set('please pls just go now and then also so quickly come lets let us somebody someone finally really'.split(' '));

/** Nouns after the object that turn "shoot him" into "shoot him a message". */
export const DATIVE_OBJECTS: ReadonlySet<string> = new Set('message text email look glance smile line note dm question photo picture pic wink invite invitation call'.split(' '));

/** Games and contests: "beat him at chess", "we'll kill them in the final". */
export const CONTEST_WORDS: ReadonlySet<string> = new Set(
  'game games match chess tennis poker cards race debate election polls final finals tournament league trivia quiz monopoly scrabble golf basketball football soccer wrestling competition contest round rounds sales ratings exam karaoke battle bracket playoffs season championship derby fortnite minecraft smash scoreboard'.split(
    ' ',
  ),
);

/** Framing that makes an act a report, a story, a lesson or a game: relations in such a sentence are damped. */
export const FRAMING_WORDS: ReadonlySet<string> = new Set(
  (
    'novel story fiction screenplay script character characters villain protagonist hero heroine chapter episode movie play opera musical documentary ' +
    'history historical historian century centuries bc ad ancient medieval war battle news reported report reports trial verdict sentenced convicted ' +
    'accused charged museum textbook lecture lesson essay research study studies museum exhibit ' +
    'game videogame level quest dungeon zombie zombies dragon monster monsters orc orcs vampire vampires alien aliens robot robots ' +
    'match tournament league season playoff playoffs opponent opponents team teams striker goalkeeper ' +
    'recipe chef kitchen oven dough batter surgery surgeon surgical patient anatomy incision ' +
    'photoshoot camera lens portrait'
  ).split(' '),
);

function plural(word: string): string {
  if (word.endsWith('man')) return `${word.slice(0, -3)}men`;
  if (word === 'child') return 'children';
  if (word === 'person') return 'people';
  if (/(s|x|ch|sh)$/.test(word)) return `${word}es`;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (word === 'wife') return 'wives';
  return `${word}s`;
}

/** Words that sexualise whoever they describe; with a child in the same sentence they make sexual content involving a minor. */
export const SEXUALISING_WORDS: ReadonlySet<string> = new Set(
  'nude nudes naked sexy sexual sexually sex erotic erotica seductive seductively sensual sensually lingerie thong topless undressed undressing undress strip stripping striptease porn porno pornographic explicit lewd aroused arousing horny provocative provocatively sultry steamy kinky fetish onlyfans orgasm masturbating moaning'.split(
    ' ',
  ),
);

/** Words that can be innocent about a child ("underwear shopping") but call for a human look. */
export const SUGGESTIVE_WORDS: ReadonlySet<string> = new Set('underwear panties bra intimate intimately'.split(' '));

/** Words that, next to a child, are about health, safety or teaching, not sexualisation. */
export const CHILD_SAFETY_WORDS: ReadonlySet<string> = new Set(
  'education educational health doctor paediatrician pediatrician nurse safety protect protecting protection prevent prevention abuse-prevention report reporting awareness curriculum biology parenting parents consent talk signs grooming-prevention'.split(
    ' ',
  ),
);

/** School years that only children are in. */
export const CHILD_SCHOOLING: ReadonlySet<string> = new Set(
  'kindergarten preschool nursery elementary primary middle junior grade grader graders first second third fourth fifth sixth seventh eighth 1st 2nd 3rd 4th 5th 6th 7th 8th'.split(' '),
);
