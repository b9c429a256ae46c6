import { TextRule } from '../text-rule';

const FICTION_OR_POLICY = [
  '{prop|props|movie prop*|film prop*|costume|novelty|museum|history of|documentary|news|report* on|statistics|awareness|prevent*|protect* {yourself|your|against}|detect*|spot*|recogni*e|avoid*|warning signs|law enforcement|policy|legali*ation debate|rehab*|recovery|treatment|addiction support|harm reduction|overdose reversal|naloxone|narcan|is it legal|legally|legal way|licensed|prescribed by|pharmacist|doctor}',
];

export const ILLICIT_RULES: readonly TextRule[] = [
  {
    id: 'illicit.drug-manufacture-or-trade.v1',
    scores: { illicit: 0.92 },
    match: [
      '@howTo ~3 {make|cook|synthesi*e|produce|manufacture|extract|brew|refine|cut|press} ~3 @drug',
      '{recipe|ingredients|precursors|formula|lab setup} ~2 {for|to make|to cook} ~2 @drug',
      '{buy|purchase|order|get|score|find|source|sell|deal|selling|dealing|smuggl*|traffick*|ship|mail} ~3 @drug ~3 {online|without ~2 prescription|without ~2 licen*e|illegally|darknet|dark web|on the street|telegram|no questions|discreetly|untraceable|across the border|past customs|in bulk|to kids|to teens|at school}',
      '{where|how} {to|can i|do i} {buy|get|score|find|order} ~2 @drug',
      '{smuggl*|sneak*|hide} ~3 @drug ~3 {past|through|across|into|in my|in a} ~2 {customs|security|airport|border|prison|jail|tsa|luggage|body}',
    ],
    unless: FICTION_OR_POLICY,
  },
  {
    id: 'illicit.fraud-theft-hacking.v1',
    scores: { illicit: 0.88 },
    match: [
      '@howTo ~3 {hack|hack into|break into|phish|steal|shoplift|launder|counterfeit|forge|pick a lock|pick {the|a} lock|hotwire|skim|embezzle|evade taxes|dodge taxes|cheat on ~2 taxes|scam|con|defraud|pirate|crack|jailbreak|bypass|spoof|clone|impersonate|blackmail|extort|bribe|cheat|fake} ~3 {account*|password*|bank*|email*|wifi|wi fi|network*|server*|car|cars|phone*|credit card*|card*|store*|shop*|money|cash|bills|documents|passport*|id|ids|signature*|check*|cheque*|elderly|grandma|grandparents|people|someone|insurance|taxes|irs|paywall|drm|license key*|software|game*|atm*|instagram|facebook|gmail|icloud|website|database|system*|lock*|door*|house|home|government|voting machine*|election|exam|test|drug test|breathalyzer|background check|security camera*|alarm*}',
      '{steal*|clone|cloning|skim*|harvest*|phish*} ~2 {credit card*|card numbers|identit*|passwords|login*|credentials|bank ~1 details|social security|ssn*|personal data}',
      '{fake|forged|forge|counterfeit|fraudulent|replica} ~1 {id|ids|passport*|money|bills|banknotes|currency|driver* licen*|drivers licen*|documents|diploma*|degree*|prescription*|vaccine card*|covid pass*|doctors note|checks|cheques|receipt*|invoice*|social security card*}',
      '{write|create|make|build|code|develop|deploy|spread|generate|craft} ~3 {ransomware|malware|keylogger*|spyware|stalkerware|computer virus|trojan|botnet|rootkit|worm|exploit kit|crypto drainer|credential stealer|phishing ~1 {email*|page*|site*|kit*|text*|message*|link*}|scam {email*|text*|script*|call*|website*}}',
      '{launder*} ~2 {money|cash|funds|proceeds|bitcoin|crypto}',
      '{use|using|charge|max out|empty} {someone elses|somebody elses|another persons|a stolen|stolen|my dead} ~1 {credit card*|card|identity|account|bank account|social security number}',
      '{commit|pull off|get away with|run} ~2 {fraud|tax fraud|insurance fraud|identity theft|wire fraud|a ponzi scheme|a pyramid scheme|a scam}',
      '{steal*|exfiltrat*|grab*|dump*|harvest*} ~3 {password*|credential*|cookies|login*|session tokens|private keys|seed phrase*|crypto wallet*}',
      '{bypass|get around|defeat|fool} ~2 {age verification|kyc|2fa|two factor|id check*|a breathalyzer|drug test*}',
      '{ddos|dox*|swat*|sim swap*} ~2 {attack|someone|him|her|them|a|the|my|site|server|website|streamer}',
      '{sell|selling|buy|buying|trade|trading} ~3 {stolen|counterfeit|fake|pirated|knockoff|hacked|cloned|skimmed} ~2 {goods|items|phones|card*|credit card*|accounts|designer|bags|watches|software|passports|ids|identities|logins|data}',
    ],
    unless: FICTION_OR_POLICY,
  },
  {
    id: 'illicit.evading-detection.v1',
    scores: { illicit: 0.45 },
    match: [
      '{without getting caught|without leaving {a trace|traces|evidence|fingerprints}|undetected by ~2 {police|cops|security|store|teacher*}|cover {my|your|our} tracks|avoid {the police|the cops|detection|getting caught}}',
      '{cheat|cheating} ~2 {on|in|at} ~2 {exam*|test*|the sat|finals|casino|drug test}',
    ],
    unless: FICTION_OR_POLICY,
  },
  {
    id: 'illicit-violent.weapons-and-attacks.v1',
    scores: { 'illicit/violent': 0.95, illicit: 0.8, violence: 0.6 },
    match: [
      '@howTo ~3 {make|build|assemble|create|construct|3d print|print|cook|mix|brew|synthesi*e|weaponi*e|manufacture|rig|set off|detonate|plant|get|buy|acquire} ~3 @weapon',
      '{recipe|ingredients|formula|blueprint*|schematic*|instructions|plans|files|stl files} ~3 {for|to make|to build|of|making|building} ~3 @weapon',
      '@weapon ~2 {tutorial|instructions|recipe|blueprint*|schematic*|making guide|build guide|assembly guide}',
      '{make*|making|build*|assembl*} ~2 {a|an} ~1 {pipe bomb|bomb|ied|molotov*|grenade|explosive device|silencer|suppressor|ghost gun|zip gun}',
      '{convert*|modif*|turn} ~3 {ar 15|ar15|ak 47|ak47|rifle|glock|gun|pistol|semi auto*} ~3 {full auto|fully automatic|automatic|machine gun}',
      '{untraceable|unregistered|unserialized|serial number removed|ghost} {gun*|firearm*|weapon*|pistol*|rifle*}',
      '{remove|file off|grind off|scratch off} ~2 serial number*',
      '{buy|get|purchase|order} ~3 @weapon ~3 {without ~2 {background check|license|licence|id|paperwork}|no background check|no questions|black market|dark web|darknet|illegally|untraceable|for cash}',
    ],
    unless: [
      ...FICTION_OR_POLICY,
      '{bath bomb*|photo bomb*|photobomb*|bomb pop*|cake|cupcake*|cosplay|nerf|water gun*|glue gun*|toy|toys|confetti|smoke bomb for photos|seed bomb*|hunting licen*e|gun safety|firearms licen*e|permit}',
    ],
  },
  {
    id: 'illicit-violent.violent-crime.v1',
    scores: { 'illicit/violent': 0.92, violence: 0.7 },
    match: [
      '{poison|drug|spike|contaminate} ~2 {someone|somebody|my @relation|his @relation|her @relation|their @relation|a person|a girl|a woman|a man|him|her|them|his drink|her drink|their drink|water supply|the water supply|reservoir|food supply|the food|the well}',
      '{hire|find|pay|contact|get} ~2 {a hitman|a hit man|hitmen|an assassin|a contract killer|someone to kill|someone to hurt|someone to beat up}',
      '{hide|dispose of|get rid of|dissolve|bury|dump} ~2 {a|the|his|her|their} {body|bodies|corpse*|dead body|remains|evidence of ~2 murder}',
      '{kidnap*|abduct*} ~2 {@person|a child|a kid|a woman|a girl|children|someone s child}',
      '{rob|hold up|stick up|knock over|raid} ~2 {a|the|that} {bank|store|gas station|liquor store|jewelry store|convenience store|pharmacy|armored truck|atm|house|home}',
      '{carjack*|mug someone|mugging someone|armed robbery|home invasion|break and enter}',
      '{plan*|commit|pull off|carry out|organi*e|help me with} ~3 {robbery|heist|holdup|hold up|stick up|bank job|raid on ~2 {bank|store|jewel*}}',
      '{plan|planning|carry out|coordinate|organi*e|prepare} ~3 {terrorist attack|terror attack|an attack on|mass shooting|a shooting|bombing|massacre|assassination|hostage taking}',
      '{make*|making|cook*|mix*|creat*|produc*|brew*} ~2 {poison|toxic gas|chlorine gas|mustard gas|nerve gas|ricin|cyanide|arsenic|sarin|anthrax} ~3 {to kill|for killing|to poison|at home|in my kitchen|to use on|to hurt}',
      '{join|support|fund|recruit for|donate to|pledge allegiance to} ~2 {isis|isil|al qaeda|al shabaab|boko haram|hamas military wing|the taliban|a terrorist {group|cell|organization}|a jihad|jihad|the kkk|a militia to kill}',
    ],
    unless: FICTION_OR_POLICY,
  },
];
