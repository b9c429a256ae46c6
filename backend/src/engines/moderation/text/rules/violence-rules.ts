import { TextRule } from '../text-rule';

const FICTION_OR_NEWS = [
  '{news|report*|statistic*|history|historical|lesson*|lecture*|textbook|museum|court*|accused of|charged with|convicted of|suspected of|arrested|documentary|prevention|prevent|memorial|survivors|awareness|victims of|vigil|mourning|trial of|court|sentenced|convicted|study|research|rates of|analysis}',
];

export const VIOLENCE_RULES: readonly TextRule[] = [
  {
    id: 'threat.first-person-harm.v1',
    scores: { 'harassment/threatening': 0.95, harassment: 0.8, violence: 0.85 },
    match: [
      '@firstPersonIntent ~2 @killVerb ~2 {@you|him|her|them|@person}',
      '@firstPersonIntent {find|hunt|track} {you|u|him|her|them} ~2 {and|then} ~2 @killVerb',
      '@firstPersonIntent {break|smash|bash|cut|slit|snap|crush} ~ {your|his|her|their} {face|legs|neck|skull|head|teeth|throat|arms|knees|jaw}',
      '@firstPersonIntent {make|see} {you|u|him|her|them} {bleed|suffer|pay|scream|beg}',
      '@firstPersonIntent {hunt|track} {you|u|him|her|them} down',
      '{and|then|ll|will} {make|watch} {you|u} {bleed|suffer|pay|scream|beg}',
      '@firstPersonIntent ~2 {burn|torch|blow up|firebomb} {your|his|her|their} {house|home|car|family|place} ~4 {inside|in it|with you|with them}',
      "{you|u|he|she|they} {will|ll|are going to|re going to|re gonna|is going to|s going to|gonna} {die|bleed|suffer|be dead|regret ~ born|pay for this} [tonight|soon|today|tomorrow|for this]",
    ],
  },
  {
    id: 'threat.intimidation.v1',
    scores: { 'harassment/threatening': 0.85, harassment: 0.7 },
    match: [
      'i know where {you|u|she|he|they|your {kids|family|children}} {live*|sleep*|work*|go to school}',
      '{put|send|pump|shoot} {a|one|two|some} {bullet|bullets|round|rounds} {in|into|through} {your|his|her|their} {head|skull|brain|face|chest|back}',
      '{slit|cut|slice} {your|his|her|their} {throat*|neck}',
      '{you|u|he|she|they} {deserve*|need*|should get} a {bullet|rope|noose|bullet to the head|beating}',
      '{when|once|if} {i|we} {catch|find|see|get} {you|u|him|her|them} ~3 {dead|kill|hurt|regret|bleed|suffer}',
      '{watch|better watch} your back',
      'sleep with one eye open',
      "{you|u|your family|your kids} {will|ll} {be|end up} {next|sorry|dead|in a body bag|in a ditch}",
      '{you|u|he|she|they} {deserve*|should|ought} [to] {die|be shot|be killed|be raped|get raped|get shot|get killed|be hanged|be beaten|get beaten|be stabbed|get stabbed}',
      "{you|u} {re|are} {dead|a dead man|a dead woman|so dead|going to be dead}",
    ],
  },
  {
    id: 'violence.attack-on-person.v1',
    scores: { violence: 0.65 },
    match: [
      '@killVerb ~1 {@person|{the|a|an|his|her|their|two|three|many|several|dozens of|hundreds of} [{old|young|innocent|unarmed|elderly|helpless|little|pregnant|homeless|poor|black|white|gay|jewish|muslim}] {man|woman|men|women|people|victim*|guard*|officer*|soldier*|civilian*|student*|child*|hostage*|prisoner*|villager*|shopper*|worshipper*|neighbo*r*|stranger*|family|passenger*|teen*|boy*|girl*|kid*|child|children|toddler*|baby|protester*|police {officer*|man|men|woman}|journalist*|reporter*}}',
      '{@person|{the|a|an|his|her|their|two|three|many|several} [{old|young|innocent|unarmed|elderly|helpless|little|pregnant|homeless}] {man|woman|men|women|people|victim*|guard*|officer*|prisoner*|hostage*|captive*|teen*|boy|girl|child|protester*}} {being|getting|is|was|gets|are|were} [repeatedly|brutally|savagely|violently|slowly] {stabbed|shot|beaten|executed|tortured|strangled|murdered|killed|lynched|beheaded|waterboarded|punched|kicked|slaughtered|raped|mauled|gunned down|run over|hacked|burned|set on fire|drowned|choked|whipped|bludgeoned}',
      '{mass execution*|firing squad|summary execution*|execution style}',
    ],
    unless: [
      ...FICTION_OR_NEWS,
      '{shoot|shooting|shot} {a|an|the|some|my|our} {film|movie|video|scene|photo*|picture*|portrait*|commercial|clip|documentary|music video|reel}',
      '{shoot|shot|shooting} {him|her|them|me|us|you|@person} {a|an|the} {message|text|email|look|glance|smile|line|note|dm|photo*|picture*|question}',
      '{photo|video|film|movie|camera} shoot',
      '{hang* out|hung out|chok* on|take a stab|with kindness|kill* it|killed it|beat* ~2 {at|in} {chess|checkers|cards|poker|tennis|golf|a race|the race|basketball|video games|mario kart|fortnite|monopoly|arm wrestling|scrabble|trivia|a game|the game}}',
      'kill* {time|the lights|the engine|the power|the music|the mood|it on stage|the process|the bacteria|the germs|weeds|the vibe}',
      '{cut|cuts|slash*} ~2 {price*|cost*|budget*|tax*|rates|hair|onion*|vegetable*|the cake|bread|the ribbon|deal|scene|budget|losses|ties|corners|class}',
      '{beat|beats|beating} {the|a|my|our|his|her|their} {eggs|egg|batter|record|odds|traffic|heat|game|level|boss|drum*|deadline|competition|clock|system}',
      '{smash|smashing|smashed} {hit|it|the record|the competition|the game}',
      'burn* {calories|fat|rubber|the midnight oil|bridges|a cd|a dvd|incense|candle*|wood|the toast|the steak}',
      '{execut*} {a|the|an|our|their|his|her} {plan|order|code|script|program|trade|contract|will|command|strategy|task|query|move}',
    ],
  },
  {
    id: 'violence.instructions-to-hurt.v1',
    scores: { violence: 0.85, 'illicit/violent': 0.6 },
    match: [
      '@howTo ~2 {hurt|injure|beat up|attack|torture|strangle|choke out|kill|murder|stab|poison|maim|assault|kidnap|knock out} ~2 {@person|a human|a human being|someone|my @relation|without}',
      '{beat*|punch*|kick*|attack*|assault*|stomp*|pummel*|bludgeon*} ~3 {until|to death|unconscious|senseless|bloody|to a pulp|half to death}',
    ],
    unless: FICTION_OR_NEWS,
  },
  {
    id: 'violence.mass-casualty.v1',
    scores: { violence: 0.7 },
    match: [
      '{mass shooting*|school shooting*|shooting spree|killing spree|massacre|massacring|terrorist attack*|terror attack|drive by shooting|car bomb*|suicide bomb*|bombing of|genocide|ethnic cleansing|public execution*|beheading*|lynching*|pogrom}',
      '{shoot* up|bomb*|attack*|blow* up|blew up|set fire to|burn down} ~2 {a|the|my|our|their} ~1 {school|class|classroom|office|mall|church|mosque|synagogue|temple|concert|parade|festival|stadium|hospital|subway|airport|crowd|market|nightclub|gay bar|daycare}',
      '{bring|take|carry} {a|my|his|her} {gun|rifle|knife|bomb|ar 15|ak 47|pistol|shotgun|machete} to {school|class|work|church|the office|the mall|the concert|the parade}',
    ],
    unless: FICTION_OR_NEWS,
  },
  {
    id: 'violence.animal-cruelty.v1',
    scores: { violence: 0.7 },
    match: [
      '{torture*|kill*|set fire to|burn*|kick*|drown*|skin*|stab*|strangl*|beat*|hang*|abuse*|mutilat*|poison*} ~2 {a|the|my|his|her|their|neighbo*rs|some} {dog|dogs|cat|cats|puppy|puppies|kitten*|animal*|pet|pets|horse|bird*}',
      '{dog|dogs|cat|cats|puppy|puppies|kitten*|animal*|pet|pets|horse|horses} {being|getting|is|was|are|were} ~1 {tortured|beaten|kicked|burned|drowned|skinned|set on fire|abused|mutilated|strangled|stabbed|hanged|poisoned}',
    ],
    unless: [...FICTION_OR_NEWS, '{humanely|vet|veterinar*|euthanas*|rescue*|shelter|adopt*|flea*|tick*}'],
  },
  {
    id: 'violence.graphic-gore.v1',
    scores: { 'violence/graphic': 0.9, violence: 0.7 },
    match: [
      '{gore|gory|gorefest|disembowel*|eviscerat*|entrails|innards|viscera|flayed|flaying|skinned alive|burned alive|burnt alive|brains {splattered|blown out|spilling}|skull {crushed|split open|caved in}|intestines {spilling|hanging|pulled}|guts {spilling|hanging|pulled out|everywhere}|blood {spurting|gushing|spraying|pouring} from|severed {head*|limb*|arm*|leg*|finger*|hand*}|decapitated {body|bodies|corpse*|head*}|dismembered {body|bodies|corpse*|victim*}|mutilated {body|bodies|corpse*|victim*|face}|torn apart {body|limb}|rotting {corpse*|body|bodies|flesh}|charred {body|bodies|corpse*}|exposed {bone*|brain*|organs} ~2 {wound|gash|victim}|snuff film*}',
      '{close up|closeup|detailed|realistic|graphic|gruesome|grisly|bloody|vivid|lingering} ~2 {wound*|injur*|corpse*|dead bod*|gunshot wound*|stab wound*|carnage|mutilat*|dismember*|decapitat*|gore|torture*|execution*|beheading*|autopsy|murder scene|massacre|bloodbath|entrails|flesh}',
      '{pool*|puddle*|river*|fountain*} of blood',
      '{skin*|flay*|burn*|burnt|boil*|bur*ied|cook*} ~3 alive',
      '{organs|guts|brains|intestines|body parts|limbs|entrails|viscera|brain matter} {everywhere|all over|spilled|spilling|scattered|splattered|strewn}',
      '{face|skin|flesh|eyes} {melting|peeling|burning|rotting|sliding|dripping} off',
      '{eye|eyes|tongue|teeth|nails|fingernails|heart|guts} {being|getting|is|was|are|were} {gouged|ripped|torn|pulled|cut|carved} out',
      '{chainsaw|machete|axe|cleaver|knife|blade} ~3 {through|into} ~2 {a|the} [screaming|living|live|helpless] {victim|man|woman|person|body|girl|boy|child}',
      '{torn|ripped|shredded|mangled|charred|rotting} {flesh|limbs|bodies|corpse*|torso*|face|faces}',
      '{crushed|shattered|split open} {skull*|head*|face*}',
      '{head|heads|limb*|arm|arms|leg|legs|finger*|hand|hands|tongue|ear|ears} {being|getting|is|was|gets} {cut|chopped|sawed|sawn|ripped|torn|hacked|blown} off',
      '{rip*|tear*|tearing|slic*|cut*|carv*|gouge*|pull*} ~2 out ~3 {eyes|eye|heart|tongue|guts|intestines|entrails|organs|fingernails|teeth}',
    ],
    unless: [
      '{fake blood|prop blood|stage blood|halloween makeup|special effects makeup|sfx makeup|ketchup|tomato sauce}',
      '{surgery|surgical|surgeon|medical school|anatomy class|veterinary|first aid|wound care|clinic|patient|butcher shop|steak|forensic training|textbook}',
    ],
  },
];
