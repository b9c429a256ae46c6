import { TextRule } from '../text-rule';

const SUPPORT_FRAMING = [
  '{prevention|prevent*|hotline|helpline|lifeline|crisis line|988|awareness|support group|counsel*|therap*|recover*|warning signs|how to help|help {a|my} {friend|child|teen|student|someone}|statistics|research|study|rates|screening|psychiatr*|clinician*|treatment|survivor*|resources|talk to someone|reach out|get help|seek help|stigma|memorial|in memory|documentary|news|public health|nurses|doctors|school counselor*}',
];

export const SELF_HARM_RULES: readonly TextRule[] = [
  {
    id: 'self-harm.first-person-intent.v1',
    scores: { 'self-harm/intent': 0.9, 'self-harm': 0.85 },
    match: [
      '@firstPersonIntent ~1 {kill|end|hurt|cut|harm|off|starve|burn|hang|shoot|poison|drown|suffocate} {myself|my self|my own life|my life}',
      '@firstPersonIntent ~1 {jump off|jump from|overdose|od|take all {my|the|these} pills|swallow all {my|the|these} pills|slit my wrists|end it all|end everything|not wake up|disappear forever|stop existing}',
      'i {want|wanna|wish i could|wish to|just want to} [just|really|finally|simply] {die|be dead|not exist|not wake up|end it|stop existing|disappear forever}',
      'i {dont|do not|no longer} want to {live|be alive|exist|wake up} [anymore|any more|tomorrow]',
      'i {cut|hurt|burn|harm|starve|punish} myself {again|every {day|night}|daily|when|because|to feel|so}',
      'i {ve|have|had} been {cutting|hurting|burning|starving|harming|punishing|scratching} myself',
      '{before|after|when|once|so|then} i {kill|end|off|hang|shoot|poison} {myself|my life}',
      '{my|this is my|writing my|wrote my} {suicide|goodbye|final} {note|letter}',
      '{tonight|tomorrow|this weekend} ~2 {i|im|i am|i ll|ill} ~2 {end it|end my life|kill myself|finally do it|going to die}',
      'i {have|ve} {stockpiled|saved up|collected|been saving} ~2 {pills|tablets|meds}',
      'life {is not|isnt} worth living {anymore|for me}',
      '{thinking|think|thought|keep thinking} about {ending|taking} my {life|own life}',
      '@firstPersonIntent ~2 {drive|crash|steer} my car {off a cliff|off a bridge|into a {tree|wall|truck|train}}',
      'i want it all to end',
    ],
    unless: ['{joke|kidding|lol|lmao|figure of speech} ~ {die|dead}', '{laughing|laughed|embarrass*} ~ {die|died|dead}', 'to die for', 'die {laughing|of|from}'],
  },
  {
    id: 'self-harm.instructions.v1',
    scores: { 'self-harm/instructions': 0.95, 'self-harm': 0.85 },
    match: [
      '@howTo ~2 {kill myself|kill yourself|commit suicide|end my life|end your life|end it all|cut myself|cut yourself|hang myself|hang yourself|overdose|od|slit ~1 wrists|hurt myself|hurt yourself|harm myself|starve myself|starve yourself|make myself {throw up|vomit|puke|purge}|purge|suffocate myself|poison myself|die painlessly|die quickly|die in my sleep}',
      '{best|easiest|quickest|fastest|painless|least painful|surest|most effective|quietest|cleanest} {way|ways|method*|spot*|place*} {to|of|for} ~2 {die|suicide|kill ~1 {myself|yourself|oneself}|end ~1 {life|it}|overdose|od|cut ~1 {myself|yourself|wrist*|deep}|self harm|hang ~1 {myself|yourself}}',
      '{tie|make|knot|hang} a noose',
      '{lethal|fatal|deadly} {amount|dose|dosage|quantity} of ~3 {for|to} ~2 {myself|yourself|suicide|die|kill}',
      '{where|how deep|which vein|which artery} ~4 {cut|slice|slit} ~4 {fatal|deadly|deep enough|to die|bleed out}',
      '{chemicals|pills|gas|gases|drugs|medications|household products|bleach} ~5 {to die|to end my life|to kill myself|die in my sleep|never wake up|not wake up}',
      '{how long|how fast|how quickly} ~4 {bleed out|bleed to death|to die from}',
      'how many {pills|tablets|sleeping pills|tylenol|paracetamol|acetaminophen|aspirin|ibuprofen|benadryl|insulin units|xanax} ~5 {to die|to overdose|to od|is lethal|would kill|to kill {me|myself|yourself|someone}|lethal|fatal|to not wake up}',
      '{hide|hiding|cover|covering} ~2 {cuts|scars|self harm|burns} ~2 {from|so} ~2 {parents|my parents|my mom|my dad|teachers|my family|doctors|people}',
      '{tips|guide|tutorial|steps|advice|tricks|instructions} ~2 {for|to|on} ~2 {cutting|purging|starving|anorexia|self harm|suicide|hanging|making yourself throw up|pro ana|proana}',
      '{pro ana|proana|pro mia|thinspo*|meanspo|bonespo}',
    ],
    unless: SUPPORT_FRAMING,
  },
  {
    id: 'self-harm.depiction-or-promotion.v1',
    scores: { 'self-harm': 0.75 },
    match: [
      '{cut|cuts|cutting|slit*|slash*|carv*|burn*|scratch*} ~2 {her|his|their|my} {wrist*|arm*|thigh*|leg*|skin|stomach}',
      '{swallow*|down*|take|taking|took|takes} ~2 {a|the|whole|entire|all} ~2 {bottle|handful|pack|box} of {pills|tablets|sleeping pills|painkillers|meds}',
      '{glorif*|romanticiz*|romanticis*|beautiful|aesthetic|celebrat*|encourag*|promot*} ~3 {suicide|self harm|selfharm|cutting|self injury|anorexia|starving yourself}',
      '{suicide|self harm|selfharm|self injury|self mutilation|overdosing|hanging {himself|herself|themselves}|jumping off {a|the} {bridge|roof|building} to die}',
      '{fresh|bleeding|deep} {cuts|scars|wounds} on {her|his|their|my} {wrist*|arm*|thigh*}',
      '{cut*|burn*|starv*|scratch*|carv*|hang*|kill*|poison*|slit*|harm*} {themselves|himself|herself|yourselves}',
      '{suicide|self harm|selfharm|cutting|overdosing|overdose} ~3 {look*|seem*|as|is} ~2 {beautiful|peaceful|romantic|aesthetic|glamorous|cool|an escape|a beautiful escape|the answer}',
    ],
    unless: [...SUPPORT_FRAMING, '{suicide squad|suicide door*|suicide bomb*|suicide mission|suicide run|suicide king|suicide pact film}'],
  },
];
