import { Vocabulary } from '../rule-template';

/** Word lists shared by the rule files, referenced from templates as @name. */
export const VOCABULARY: Vocabulary = {
  you: ['you', 'u', 'ya', 'yall', 'you all', 'your {family|kids|children|wife|husband|mom|mother|dad|father}', 'youre', 'ur'],
  relation: [
    '{wife|husband|boss|teacher|neighbor*|neighbour*|ex|girlfriend|boyfriend|mom|mother|dad|father|brother|sister|son|daughter|classmate*|coworker*|co worker*|colleague*|roommate*|landlord|friend*|family|kids|children|cousin*|uncle|aunt|manager|principal|pastor|coach|doctor|students|teammate*}',
  ],
  person: [
    '@you',
    '{him|her|them|people|everyone|everybody|someone|somebody|anyone|civilians|hostages|protesters|passersby|bystanders|shoppers|worshippers|students|children|kids|pedestrians|victims|a crowd|the crowd|strangers|innocent people|police officers|cops|soldiers|the president|a senator|a politician|the mayor|a child|a baby|a woman|a man|a girl|a boy|a person|the victim|a stranger|a homeless {man|woman|person}|the hostage*}',
    '{my|his|her|their|our|the|a} @relation',
    '{men|women|villagers|prisoners|refugees|migrants|hikers|tourists|campers|travel*rs|commuters|customers|patients|doctors|nurses|guards|workers|farmers|fishermen|miners|monks|nuns|priests}',
  ],
  selfRef: ['myself', 'my self', 'my own life', 'my life'],
  firstPersonIntent: [
    'i {will|ll|shall|am {going|gonna|about} [to]|m {going|gonna|about} [to]|gonna|want to|wanna|plan to|intend to|need to|am ready to|m ready to|have decided to|ve decided to|am planning to|m planning to|will {finally|soon}|am finally going to|m finally going to}',
    'we {will|ll|are going to|re going to|re gonna|are gonna|gonna|want to|plan to}',
  ],
  killVerb: [
    '{kill*|murder*|slaughter*|shoot*|shot|stab*|waterboard*|ston*|behead*|butcher*|strangl*|execut*|exterminat*|massacr*|lynch*|gut|knife|knifed|stomp*|suffocat*|decapitat*|dismember*|assassinat*|torture*|hang|hanged|burn|gas|gassed|shoot up|gun down|gunned down|blow* up|blew up|run over|mow down|beat to death|beat*|bash*|smash*|drown*|poison*|choke*|rape|raped|raping|cut|cuts|slash*|maim*}',
  ],
  protectedGroup: [
    '{jews|jewish people|the jews|muslims|moslems|christians|blacks|black people|black folks|whites|white people|asians|asian people|mexicans|immigrants|illegals|migrants|refugees|arabs|gays|gay people|lesbians|homosexuals|queers|trans people|transgender people|trannies|women|females|gypsies|roma|hindus|sikhs|africans|latinos|hispanics|chinese people|chinks|indians|pakis|catholics|disabled people|the disabled|retards|autistic people|foreigners|negroes|niggers|kikes|faggots|fags|muzzies|jihadis|atheists|buddhists|mormons}',
  ],
  /** One member of a group, for "every black person", "any Asian". */
  groupMember: [
    '{black|white|jewish|muslim|gay|lesbian|trans|asian|mexican|arab|immigrant|indian|chinese|latino|hispanic|african|roma|gypsy|christian|hindu|sikh} {person|man|woman|people|men|women|kid|kids|family|families|guy|guys|child|children|one}',
    '{jew|muslim|asian|arab|mexican|immigrant|refugee|migrant|gay|black|christian|hindu|sikh|gypsy|foreigner|chink|paki|kike|nigger|faggot}',
  ],
  insultNoun: [
    '{idiot*|moron*|loser*|slob*|hag|hags|troll|dork|weirdo|psycho|sicko|bum|leech|rat|snake|coward|crybaby|airhead|bimbo|numbskull|halfwit|nitwit|cretin|buffoon|oaf|dimwit|simpleton|neanderthal|pig|pigs|cow|trash|garbage|scum|waste of {space|oxygen|air}|failure|freak|clown|joke|retard*|imbecile*|dumbass*|bitch*|slut*|whore*|cunt*|jerk|creep|subhuman|parasite|vermin|worm|maggot*|piece of {shit|crap|garbage|trash}|dumb {fuck|shit}|fucktard|twat|prick|dickhead|asshole*|bastard*|nobody|mistake|disgrace|embarrassment|degenerate|lowlife|skank|hoe|douche*}',
  ],
  insultAdjective: [
    '{stupid|dumb|ugly|fat|old|stinky|hopeless|pathetic|worthless|useless|disgusting|gross|hideous|repulsive|brainless|clueless|braindead|brain dead|retarded|spineless|talentless|lazy|filthy|dirty|smelly|fucking|fkn|fking|freaking|damn|total|complete|absolute|such a|such an|so|a|an|the|biggest|worst|little}',
  ],
  minor: [
    '{child|children|childs|kid|kids|kiddie|kiddy|minor|minors|underage|under age|preteen*|pre teen*|teen|teens|teenage|teenager*|young teen*|little girl*|little boy*|young girl*|young boy*|schoolgirl*|school girl*|schoolboy*|school boy*|toddler*|infant*|newborn*|loli|lolis|lolicon|shota|shotacon|jailbait|middle schooler*|grade schooler*|elementary schooler*|fifth grader*|sixth grader*|seventh grader*|eighth grader*|ninth grader*|tween*|pubescent|prepubescent}',
    '{1|2|3|4|5|6|7|8|9|10|11|12|13|14|15|16|17|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen} {year|years|yr|yrs} {old|olds}',
    '{1|2|3|4|5|6|7|8|9|10|11|12|13|14|15|16|17} yo',
    '{1|2|3|4|5|6|7|8|9|10|11|12|13|14|15|16|17} {year|yr} old {girl*|boy*|kid*|child|children|student*|daughter*|son*}',
  ],
  sexualTerm: [
    '{sex|sexual*|sexy|sexi*|nude*|naked|nudity|porn*|explicit|erotic*|nsfw|undress*|strip*|lingerie|seduc*|aroused|arousing|molest*|fondl*|grope*|groping|orgasm*|masturbat*|intercourse|onlyfans|fetish*|horny|kinky|intimate|topless|bottomless|stripping|breasts|boobs|genitals|penis|vagina|thong|panties|blowjob|handjob|cum|spread legs|spreading {her|his|their} legs|touch* ~2 {privates|genitals|inappropriately}|in bed with|making out|make out|sleep with|sleeping with|hook up with|hooking up with|have sex|having sex|sensual|provocativ*|suggestiv*|sexualis*|sexualiz*|in bikinis|bikini photoshoot|posing in underwear}',
  ],
  drug: [
    '{meth|methamphetamine|crystal meth|crack|crack cocaine|cocaine|coke|heroin|fentanyl|fentanil|carfentanil|lsd|acid tabs|mdma|molly|ecstasy|ghb|ketamine|pcp|dmt|opium|oxycodone|oxycontin|oxy|xanax|percocet|adderall|drugs|narcotics|shrooms|psilocybin|weed|marijuana|cannabis|lean|codeine|roofies|rohypnol}',
  ],
  weapon: [
    '{gun|guns|firearm*|pistol*|handgun*|rifle*|shotgun*|ak 47|ak47|ar 15|ar15|glock*|uzi|assault rifle*|machine gun*|ammo|ammunition|silencer*|suppressor*|grenade*|explosive*|bomb|bombs|pipe bomb*|ied|ieds|molotov*|napalm|thermite|detonator*|c4|semtex|tnt|nerve agent*|sarin|ricin|anthrax|mustard gas|chlorine gas|chemical weapon*|bioweapon*|biological weapon*|dirty bomb*|ghost gun*|auto sear*|bump stock*|switchblade*|brass knuckles}',
  ],
  howTo: [
    'how {to|do i|do you|can i|could i|would i|should i|does one|would you|would someone|can you|can someone|can we|do we|to best}',
    '{ways|way|steps|instructions|guide|tutorial|tips|recipe|method|methods|walkthrough|directions} {to|for|on} [how to]',
    '{teach|show|tell|explain to} {me|us} how [to]',
    '{explain|describe} {how|the steps} to',
    'step by step {to|for|on}',
  ],
};
