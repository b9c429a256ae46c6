import { TextRule } from '../text-rule';

const ART_OR_HEALTH = [
  '{painting|painted|statue|sculpture|sculpted|renaissance|museum|gallery|art history|classical|fresco|marble|figure drawing|life drawing|botticelli|michelangelo|venus|david|anatomy|anatomical|medical|clinic*|doctor|gyn*colog*|urolog*|breastfeed*|breast cancer|mammogra*|self exam|health class|sex ed*|sexual health|sexual harassment|sexual assault awareness|consent education|puberty|reproductive|std|sti|contracepti*|biology}',
];

export const SEXUAL_RULES: readonly TextRule[] = [
  {
    id: 'sexual.explicit-act.v1',
    scores: { sexual: 0.92 },
    match: [
      '{explicit|graphic|hardcore|xxx|nsfw|uncensored|pornographic|raunchy|x rated|triple x} ~2 {sex|porn*|scene*|video*|nude*|content|intercourse|footage|clip*|pics|photos|images|acts|orgy|threesome|blowjob}',
      '{having|have|had|has} {sex|intercourse|an orgy|a threesome|oral sex|anal sex} ~3 {on camera|on video|in detail|explicitly|graphically|while|in the video|scene|naked|nude|with}',
      '{sex|sexual|porn|erotic|nude|naked} {scene|act*|video|tape|position*|footage|clip|film|movie|content|photos|pics|selfies} ~2 {of|with|showing|featuring|between}',
      '{porn*|blowjob*|handjob*|cumshot*|creampie*|gangbang*|bukkake|deepthroat*|orgy|orgies|threesome*|masturbat*|jerking off|jerk off|fingering herself|fingering himself|sex toy*|dildo*|vibrator*|cunnilingus|fellatio|anal sex|oral sex|penetrat* ~ {her|him|vagina|anus}|erotica|hentai|rule 34|onlyfans {video|content|leak*}}',
      'deep {fake|fakes|faked} ~3 {porn*|nude*|naked|sex*|explicit}',
      '{nude*|naked|porn*|sex*|explicit} ~3 deep {fake|fakes|faked}',
      '{undress*|strip*|nudify|nudif*|remove ~1 clothes} ~3 {photo*|picture*|image*|pic|pics} ~2 of ~3 {her|my|a|the|this|classmate*|coworker*|ex|celebrit*|actress*|girl*|woman|women}',
    ],
    unless: ART_OR_HEALTH,
  },
  {
    id: 'sexual.nudity-or-suggestive.v1',
    scores: { sexual: 0.65 },
    match: [
      '{nude|naked|topless|undressed|unclothed|nipples|bare breasted|lingerie clad|in lingerie|in her underwear|in his underwear|in a thong} ~2 {woman|women|girl*|man|men|model*|couple|body|bodies|photo*|pic*|selfie*|shot*|scene|dance|dancing|photoshoot|pose*|posing|wife|husband|celebrity|actress|actor|lady|ladies|guy|dude|on camera|on the bed|in bed|in the shower}',
      '{strip*|undress*|take* off|taking off|removes|removing} ~2 {her|his|their} {clothes|bra|panties|underwear|top|shirt|dress|bikini top|lingerie}',
      '{strip*|undress*|get*} ~1 {naked|nude|fully nude|down to nothing}',
      '{sexy|seductive|sensual|provocative|erotic|lewd|slutty} {dance|dancing|pose*|posing|photoshoot|striptease|lap dance|outfit|lingerie|woman|girl|model|bedroom scene|shower scene|moaning}',
      '{striptease|lap dance|strip club|stripper*|camgirl*|cam girl*|escort service|sugar daddy|one night stand} ',
      '{moan*|groan*} ~2 {in pleasure|with pleasure|sexually|orgasm*|in bed}',
      '{make out|making out|sleeping together|hooking up|in bed together} ~3 {naked|nude|passionately|sex*|steamy|undress*}',
      '{steamy|spicy|sexy|smutty|nsfw|naughty|dirty} {scene|story|video|clip|roleplay|role play|chat|talk|photos|pics}',
    ],
    unless: ART_OR_HEALTH,
  },
];

/** Kept apart from SEXUAL_RULES: any hint of a minor turns sexual content into a hard block. */
export const SEXUAL_MINORS_RULES: readonly TextRule[] = [
  {
    id: 'sexual-minors.sexualised-minor.v1',
    scores: { 'sexual/minors': 0.97, sexual: 0.85 },
    match: [
      '@minor ~4 @sexualTerm',
      '{erotic|sexual|sex|explicit|porn*|steamy|smutty|nsfw|lewd|dirty} {story|fanfic|fan fiction|roleplay|role play|scene|video|photos|pics|chat} ~8 @minor',
      '@sexualTerm ~4 @minor',
      '{child|kiddie|kiddy|underage|preteen|teen|minor|jailbait|baby} {porn*|sex|nudes|nude*|naked pics|xxx|erotica}',
      '{cp|csam|csem|pedo*|paedo*|pedophil*|paedophil*|loli|lolis|lolicon|shota|shotacon|jailbait|childlove|map pride|minor attracted}',
      '{groom*|seduc*|lure*|entic*} ~3 {a|the|my|some|young} [little] {child|children|kid|kids|minor*|girl|boy|teen*|student*|niece|nephew|stepdaughter|stepson}',
      '{age play|ageplay|ddlg} ~2 {sex*|porn*|nude*|explicit}',
    ],
    unless: [
      '{sex ed*|sexual health|sex education|health class|puberty|talk ~2 about|protect*|prevent*|safety|abuse prevention|report*|pediatric*|paediatric*|doctor|nurse|vaccin*|grooming gang* trial|recogni*e|warning signs|signs of|keep ~2 safe|educat*|parenting|awareness|predators online|child protective|law enforcement|curriculum|textbook|biology}',
      '{teen|teens|teenage|teenager*} {drama|comedy|movie|film|show|series} about ~3 {sex ed*|first love|growing up|puberty}',
    ],
  },
];
