import { TextRule } from '../text-rule';

const SCHOLARLY_FRAMING = [
  '{history of|historical|documentary|lesson*|teach* about|educat*|museum|memorial|remembrance|survivor*|combat*|fight* against|counter*|oppos*|condemn*|debunk*|myth*|propaganda {poster*|techniques}|report* on|news|study|research|analysis|why people|how to respond}',
];

export const HATE_RULES: readonly TextRule[] = [
  {
    id: 'hate.dehumanising-generalisation.v1',
    scores: { hate: 0.9 },
    match: [
      '[all|every|most|those|these|the|fucking|filthy|dirty] @protectedGroup {are|is|r|re|were} [all|just|nothing but|no better than|basically|literally|like] [a|an] [greedy|filthy|dirty|disgusting|lazy|violent|stupid|inferior|worthless|sick] {greedy|primitive|uncivili*ed|less intelligent|less evolved|naturally violent|born criminals|perverts|pedophiles|groomers|abnormal|unnatural|devils|demons|animals|vermin|rats|cockroaches|roaches|parasites|subhuman|sub human|savages|a disease|disease|a cancer|cancer|a plague|plague|filth|trash|garbage|scum|inferior|evil|dirty|stupid|criminals|rapists|terrorists|thieves|monkeys|apes|pigs|dogs|less than human|not human|not people|a virus|leeches|degenerates|the problem|invaders|an infestation|mentally ill|abominations|an abomination|genetically inferior|worthless|disgusting|lazy|barbarians}',
      '{i|we} {hate|despise|loathe|cant stand|can not stand|cannot stand} [all|every|those|these|the|fucking|filthy] @protectedGroup',
      '@protectedGroup {ruin*|destroy*|poison*|infest*|pollut*|contaminat*} ~2 {everything|our country|this country|our nation|our race|society|the world|our neighbo*rhood|our culture|our blood}',
      '{keep|get|send} [the|those|all] @protectedGroup {out|back} ~2 {of our|where they came from|to their country|to africa}',
      '{jews|the jews|jewish people|zionists} {control|run|own} {the|our} {media|banks|government|world}',
      '[all|the|those] @protectedGroup {should|must|need to} be {banned|deported|expelled|removed|kicked out|locked up|segregated|sterili*ed|rounded up}',
      '{ban|deport|expel|kick out|lock up|round up} {all|every|the|those} @protectedGroup',
      '@protectedGroup {dont|do not|shouldnt|should not} {deserve|get} {rights|to vote|to live here|to exist|human rights}',
      '{women|females|girls} {belong|should stay|should be kept} {in the kitchen|barefoot|at home and silent}',
      '@protectedGroup {as|like} [dirty|filthy] {monkeys|apes|rats|vermin|cockroaches|roaches|animals|pigs|dogs|insects|subhumans|parasites|savages|terrorists|rapists}',
    ],
    unless: SCHOLARLY_FRAMING,
  },
  {
    id: 'hate.violent-call-against-group.v1',
    scores: { 'hate/threatening': 0.95, hate: 0.9, violence: 0.7 },
    match: [
      '[all|every|those|these|the] @protectedGroup {should|must|need to|deserve to|ought to|have to|will|are going to|to} [all] {die|be killed|be gassed|be exterminated|be wiped out|be eradicated|be shot|be hanged|be lynched|be beaten|be burned|be burnt|be burned alive|be burnt alive|burn|hang|suffer|be put down|be culled|be sterilized|be purged|not exist|not be allowed to live}',
      '{every|all|any} @groupMember ~4 {should|must|need to|deserve to|ought to} {die|be killed|be gassed|be exterminated|be wiped out|be shot|be hanged|be lynched|be beaten|be burned|be deported by force|suffer|be attacked}',
      '{kill|exterminate|gas|lynch|eradicate|wipe out|purge|slaughter|shoot|hang|burn|cull|genocide|massacre|get rid of|eliminate} [all|every|those|these|the|fucking|filthy|dirty] [the] @protectedGroup',
      '{kill|exterminate|gas|lynch|slaughter|shoot|hang|burn|beat|attack} {every|all|any} @groupMember',
      '{burn|bomb|shoot up|attack|torch|firebomb|blow up|vandali*e|raid} ~2 {the|a|their|that|this} {mosque|synagogue|church|temple|gurdwara|gay bar|pride parade|pride march|refugee cent*r|refugee camp|migrant shelter|black church|jewish school|islamic cent*r}',
      '{race war|day of the rope|final solution|total extermination|holy war against} ~3 {now|is coming|has begun|begins|will come|when}',
      '{death to} [all] [the] @protectedGroup',
      '{round up|line up|gather up} ~2 [all|the|those] @protectedGroup ~4 {shoot|kill|gas|burn|hang|execute|exterminate|drown} {them|em|all of them}',
      '@protectedGroup ~3 {be wiped off|be removed from|be erased from} ~2 {earth|the earth|the map|the planet|existence}',
      '{beat up|attack|bash|assault|hunt down|hunt|jump|stomp} {some|the|those|all|a few|any} @protectedGroup',
      '@groupMember ~4 {deserves|deserve|needs|should get} {a bullet|a rope|a noose|a beating|to hang|to burn}',
      '@protectedGroup ~2 {deserve|need|should get} {a bullet|bullets|the rope|the noose|a beating|the gas chamber|the oven*}',
    ],
    unless: SCHOLARLY_FRAMING,
  },
  {
    id: 'hate.supremacist-code.v1',
    scores: { hate: 0.85 },
    match: [
      '{white power|white pride worldwide|white supremacy is|aryan {race|nation|brotherhood|purity}|racial purity|race traitor*|white genocide|great replacement|14 words|1488|heil hitler|sieg heil|gas the|the goyim know|zog|zionist occupied government|jews will not replace us|blood and soil}',
      '{holocaust|shoah} {never happened|is a lie|was a lie|was a hoax|is a hoax|didnt happen|did not happen|was fake|is a myth|is exaggerated}',
      '{hitler|the nazis} {was|were|did} {right|nothing wrong|a hero|heroes}',
    ],
    unless: SCHOLARLY_FRAMING,
  },
];
