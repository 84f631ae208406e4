"""Personal medical advice: a question tied to the writer's own (or a named person's) health,
medicines, doses, body numbers, eligibility, pregnancy or decisions. Structure: *personal framing*
(should I, my dose, I'm on...) × *medical decision* (a dose, stopping a medicine, eligibility, what
a symptom means). A hypothetical dose for a stated body weight is personal too. General questions
on the same subjects ("what doses do studies use?") are not."""

from __future__ import annotations

import re

from assistant.triage.rules import rule
from assistant.triage.rules.vocabulary import CONDITION, DOSE, MEDS, PERSONAL_ASK, SYMPTOM, TREATMENT, WINDOW

# "Is this normal?" after a description of one's own symptoms is a request to read them.
_SYMPTOM_CONCERN = re.compile(
    r"\b(?:normal|should i (?:be )?(?:worr|concern|go|call|see|do|stop|take)\w*|is (?:this|that|it) (?:a side effect|normal|ok|okay|serious|bad|dangerous|from|because|related|caused|expected|common|safe)|"
    r"what (?:does|do|could) (?:this|that|it) mean|why (?:am i|do i|is my|did i)|worr\w*|concern\w*|scared|something wrong|what should i (?:do|take)|should i be|from the (?:ketamine|spravato|infusion|treatment|spray)|"
    r"caused by|a side effect|too (?:high|low|much|strong)|dangerous for me|a problem|reaction|what can i (?:do|take)|"
    r"is (?:this|that|it) (?:the|from|due to|because of) (?:ketamine|spravato|esketamine|infusion|treatment|spray|medication|meds|dose))\b|\?",
    re.IGNORECASE,
)

RULES = [
    rule("medical_advice", "personal_dose", "|".join([
        rf"\b(?:how much (?:ketamine|spravato|esketamine|of (?:it|the|my|this|that)|medicine|medication|drug|of the drug|mg|milligrams?|ml)|how many (?:mg|milligrams?|sprays|devices|ml|units|pills|troches|lozenges|tablets)|what (?:dose|dosage|amount|strength|mg|level)|which (?:dose|dosage|strength|amount)|what kind of dose)\b{WINDOW}{{0,60}}?\b(?:should|can|could|would|do|will|must|need|shall)\s+(?:i|me)\b",
        rf"\b(?:should|can|could|would|do|will|must|need|shall) i\b{WINDOW}{{0,40}}\b(?:take|get|use|have|start|receive|be (?:getting|on|given|taking)|ask for|need|go up|go down)\b{WINDOW}{{0,30}}\b(?:{DOSE}|more|less|higher|lower)\b",
        rf"\b(?:{DOSE}|amount)\b{WINDOW}{{0,40}}\b(?:for me|for my|in my case|for someone like me|given my|i need|i should|should i|would i need|do i need)\b",
        r"\bmy (?:\w+ )?(?:dose|doses|dosage|dosing)\b",
        r"\bmy (?:\w+ )?(?:booster|infusion|treatment|dosing|spray|session|ketamine|spravato) (?:schedule|plan|frequency|interval|course)\b",
        r"\b(?:higher|lower|bigger|smaller|stronger|weaker|increased?|decreased?|reduced?|double|half|extra)\s+(?:the\s+)?(?:dose|dosage|mg|booster)\b",
        rf"\b(?:\d+(?:\.\d+)?\s?(?:mg|milligrams?|mg/kg|ml))\b{WINDOW}{{0,40}}\b(?:for me|too (?:much|strong|high|low)|enough for|safe for me|right for me|better for me|should i|would i|is that ok)",
        rf"\b(?:should i|i should|do i need to|i need to)\s+(?:\w+\s+){{0,3}}?(?:try|do|get|start|choose|pick|go (?:with|for)|switch|stop|quit|give up|keep going|carry on|continue|keep|skip|double|take|have|use|ask for|increase|decrease|lower|raise)\b{WINDOW}{{0,40}}\b(?:{TREATMENT}|{DOSE}|{MEDS}|fourth|third|another|more|less)\b",
        r"\b(?:in my (?:situation|shoes|case|position)|if you were me|what would you do)\b",
        r"\bhow (?:much|many)\b(?:\s+\w+){0,3}?\s+(?:should|can|could|do|must|may) i (?:take|use|have|get|do)\b",
    ]), context=None, view="folded"),
    rule("medical_advice", "asks_for_a_recommendation", rf"\b(?:recommend|suggest|advise|prescribe)\w*\b{WINDOW}{{0,40}}\b(?:for me|for someone like me|me\b)",
          context=rf"{DOSE}|{TREATMENT}|{MEDS}|\bdose\b|\bketamine\b", view="folded"),
    rule("medical_advice", "weight_for_dose", [
        r"\b(?:i'?m|im|i am|i weigh|weigh|weighs|weighing)\s+(?:about\s+|around\s+)?(?:\d+\s?(?:lbs?|pounds|kg|kilos)|\d'\s?\d+)",
        r"\b\d{2,3}(?:\.\d)?\s?(?:kg|kilos?|kilograms?|lbs?|pounds)\b",
    ], requires=r"\b(?:dose|doses|dosage|dosing|how much|how many mg|mg|milligrams?|what about|started at|start (?:me|them|her|him) (?:at|on))\b", view="folded"),
    rule("medical_advice", "asks_for_a_diagnosis", [
        r"\b(?:do|does|could|might|would) (?:i|he|she|they|my \w+) (?:have|has|be having|suffer from)\s+(?:it|that|this|that one|\w+(?: \w+)?\?|a disorder|an? \w+ disorder|ptsd|ocd|adhd|bipolar|depression|anxiety|autism)",
        r"\bwhat (?:is it|do i have|does (?:he|she|my \w+) have|is wrong with (?:me|him|her))\b|\bwhat is it i have\b",
        r"\bis (?:what i have|this|it|that|my \w+(?: \w+)?) (?:anxiety|depression|ptsd|ocd|adhd|bipolar|psychosis|a panic attack|panic disorder|burnout)(?: or|\?)",
        r"\bwhich (?:one|is it)\b[^.?!\n]{0,20}\bfor (?:me|him|her)\b|\b(?:diagnose|diagnosis for) (?:me|him|her|my \w+)\b",
        r"\b(?:tell me|can you tell) (?:if|whether) (?:i|he|she|my \w+) (?:have|has|am|is)\b",
        r"\bdo you think (?:i|he|she|they|my \w+) (?:have|has|is|am|might have|could have|might be)\b",
    ], view="folded"),
    rule("medical_advice", "someone_elses_eligibility_or_pregnancy", [
        r"\b(?:can|could|should|would|may|is it safe for|is it ok for|is it okay for)\s+(?:my|our)\s+(?:\w+\s+)?(?:son|daughter|kid|child|teen|teenager|boy|girl|mom|mum|mother|dad|father|husband|wife|partner|friend|sister|brother|grandma|grandpa|grandmother|grandfather|uncle|aunt|cousin)\s+(?:still\s+)?(?:get|have|try|start|do|take|use|be (?:treated|seen|given))\b",
        r"\b(?:my|our) (?:\w+ )?(?:son|daughter|kid|child|teen|teenager|boy|girl|mom|mum|mother|dad|father|husband|wife|partner|friend|sister|brother|grandma|grandpa|grandmother|grandfather)\b[^?\n]{0,80}\b(?:can|could|would|should|will|is it safe for|does) (?:he|she|they|him|her|them)\s+(?:still\s+)?(?:get|have|try|start|do|qualify|be (?:eligible|a candidate|treated|seen|accepted)|take|use)\b",
        r"\b(?:does|would|could|can|will) (?:he|she|they|my \w+) (?:qualify|be eligible|be a (?:good )?candidate|be accepted)\b",
        r"\bmy (?:\w+ )?(?:friend|sister|wife|partner|girlfriend|daughter|cousin|coworker|roommate) is (?:\w+ )?(?:pregnant|breast ?feeding|nursing|expecting)\b",
        r"\b(?:is it|would it be|is (?:ketamine|spravato|it)) (?:safe|ok|okay|dangerous|risky) for (?:her|him|them)\b",
    ], view="folded"),
    rule("medical_advice", "own_reaction_after_a_session", [
        r"\b(?:i|my)\b[^.?!\n]{0,80}\b(?:after|since|during) (?:my |the |each |every |last |today'?s |yesterday'?s |this |that )?(?:\w+ )?(?:sessions?|infusions?|treatments?|spray|doses?|appointments?|visits?|ketamine|spravato|iv)\b[^\n]{0,120}(?:\bnormal\b|\bok\b|\bokay\b|\bkeep happening\b|\bwill (?:that|it|this)\b|\bshould i\b|\btoo (?:strong|much|high)\b|\bworried\b|\bfor me\b|\?)",
        r"\b(?:threw|throw|thrown) up\b[^.?!\n]{0,60}\b(?:after|on the way home|in the car)\b",
        r"\blasted (?:like |about |for )?\w+ (?:hours?|days?|minutes?)(?: after)?\b[^\n]{0,30}(?:\bnormal\b|\?)",
    ], requires=r"\b(?:i|my|me)\b", view="folded",
          # a reaction, a feeling or a symptom must be in the message: "I could murder a coffee after my
          # appointments, are patients allowed caffeine?" describes no reaction of one's own
          context=rf"{SYMPTOM}|\b(?:feel\w*|felt|reaction|react\w*|side effects?|happen\w*|noticed|experienc\w*|sick|tired|exhausted|weird|strange|off\b|foggy|fog|spacey|floaty|dissociat\w*|cried|crying|sleep\w*|slept|awake|anxious|panick?\w*|scared|mood|worse|better|low|down|crash\w*|high|buzz\w*|shaky|shaking|sweat\w*|hungover|groggy|confus\w*|memory|lasted|wore off|wear off|kicked in|still)\b"),
    rule("medical_advice", "own_age_and_eligibility", [
        # a minor, or anyone, stating their own age and asking whether they can have treatment
        r"\b(?:i'?m|im|i am|i turn(?:ed)?|i'?ll be)\s+(?:only\s+|just\s+|almost\s+|nearly\s+)?(?:\d{1,2}|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|seventy|eighty|ninety)\b(?:\s+(?:years? old|yrs? old|yo|y/o|y\.o\.))?[^?\n]{0,100}\b(?:can|could|may|would|will) i (?:still )?(?:get|have|try|start|do|receive|book|sign up|be (?:treated|seen|accepted))\b",
        r"\b(?:can|could|may|would|will) i (?:still )?(?:get|have|try|start|do|receive|book|be (?:treated|seen|accepted))\b[^?\n]{0,60}\b(?:i'?m|im|i am)\s+(?:only\s+|just\s+)?(?:\d{1,2}|thirteen|fourteen|fifteen|sixteen|seventeen)\b",
        r"\b(?:i'?m|im|i am)\s+(?:a minor|under ?age|under 18|in (?:high school|middle school|9th|10th|11th|12th grade))\b[^?\n]{0,100}\b(?:can|could|may|am i allowed to) (?:i )?(?:get|have|try|start|do|receive)\b",
    ], view="folded"),
    rule("medical_advice", "own_substance_use_and_treatment", [
        r"\b(?:i|i'?ve|we)\s+(?:\w+\s+){0,3}?(?:drink|drinking|drank|had|smoke|smoking|smoked|vape|use|using|took)\b[^.?!\n]{0,40}\b(?:drinks?|beers?|wine|shots|weed|cannabis|joints?|edibles|alcohol)\b",
        r"\b(?:can|could|should|may) i\b[^.?!\n]{0,40}\bwhile (?:i'?m |i am )?(?:on|taking|using)\s+(?:\w+\s+){0,2}?(?:meds|medications?|medicines?|pills|drugs|hormones|injections|ivf|treatment|chemo|birth control)\b",
        r"\b(?:had|drank|drinking|drink)\s+(?:\d+|a few|some|two|three|four|five|a couple of)\s+(?:\w+\s+)?(?:beers?|drinks|glasses|shots)\b",
        r"\b(?:can|could|should|may) i (?:still )?(?:have|drink|take|smoke|use|do)\s+(?:a |an |some |one |two |any |my )?(?:\w+\s+){0,3}?(?:wine|beers?|alcohol|drinks?|cocktails?|shots?|weed|cannabis|marijuana|edibles?|joints?|thc|kratom)\b[^.?!\n]{0,60}\b(?:after|before|during|on the (?:day|night|evening)|the (?:day|night|evening)|between)\b",
    ], requires=r"\b(?:can'?t|cannot|can i|should i|do i (?:need|have)|does that mean|is it (?:ok|okay|safe)|cancel|still|allowed|before|tomorrow|ketamine|spravato|session|infusion)\b", view="folded"),
    rule("medical_advice", "which_should_i_choose", [
        r"\bwhich (?:one|option|treatment|of (?:them|the two|those|these))\b[^.?!\n]{0,20}\b(?:should|would|do) (?:i|you recommend)\b|\bshould i (?:go for|pick|choose|get|start with|do) (?:the |iv |spravato|ketamine|one|it|that|this)\b",
        r"\b(?:what|which) would you (?:pick|choose|do|recommend)\b",
    ], view="folded"),
    rule("medical_advice", "am_i_a_candidate", "|".join([
        r"\b(?:am i|would i be|i'?m|im|i am|i might be|would i make)\s+(?:a\s+|an\s+)?(?:\w+\s+)?(?:candidate|eligible|suitable|qualified|a fit|good fit|right fit)\b",
        r"\b(?:do|would|will|could|can|might) i (?:still )?(?:qualify|be eligible|be a (?:\w+ )?candidate|be accepted|be approved|get approved|be allowed)\b",
        r"\bam i (?:still )?(?:allowed|able|ok|okay|safe|fine|eligible|too old|too young) (?:to )?(?:get|have|do|take|start|continue|receive|try|for)\b",
        r"\b(?:is|would|will|could)\s+(?:ketamine|spravato|esketamine|it|this|ketamine therapy|this treatment|treatment|an infusion|infusions|the spray)\s+(?:(?!assistant|bot|chat\w*|app|site|website|tool|service|library|page)\w+\s+)?(?:be\s+)?(?:right|good|safe|appropriate|suitable|ok|okay|an option|a good (?:idea|option|choice|fit)|worth it|effective|likely to work|going to work|gonna work|work|help|dangerous|risky)\s+(?:for|with)\s+(?:me|my|someone like me)\b",
        r"\b(?:will|would|could|can|does|do you think|is)\s+(?:ketamine|spravato|esketamine|it|this|the treatment|treatment|an infusion|infusions)\s+(?:(?!assistant|bot|chat\w*|app|site|website|tool|service|library|page)\w+\s+)?(?:work|help|be safe|hurt|harm|cure|fix)\s+(?:for\s+)?(?:me\b|my)",
        r"\b(?:right|safe|good|ok|okay|suitable|appropriate|dangerous|risky|too (?:much|strong|high|low|little|weak|many|few|old|young)|enough|better|best|worse|an option|a fit|a good fit|allowed)\s+(?:\w+\s+)?for (?:me\b|someone like me|my (?:case|situation|condition|body|age|weight))",
        r"\b(?:rule|rules) me out\b|\bdisqualif\w* me\b|\bbe a good fit for me\b",
        r"\b(?:can|could|may|should) i still (?:do|get|have|try|start|receive|continue|go ahead with|take|use|be treated)\b",
        r"\b(?:would|will|could|might) i (?:benefit|respond|do better|be better off|get better|improve)\b",
        r"\b(?:make|made|making) (?:mine|my \w+(?: \w+)?|me) (?:worse|better)\b",
        r"\bbetween my (?:infusions|sessions|doses|treatments|boosters|sprays)\b|\bhow often should i (?:get|have|do|take|come|book)\b",
        r"\b(?:does|do|could|would|might) (?:that|this|it) mean (?:that )?i (?:have|am|'m|need|should|qualify)\b",
        r"\b(?:do|could|might) i (?:have|qualify as|count as) (?!to\b)(?:\w+ ){0,3}(?:depression|ptsd|anxiety|bipolar|trd|treatment[- ]resistant)",
        r"\b(?:i'?m|im|i am) (?:only |just |almost |nearly |over |under )?\d{1,2}\b(?! ?(?:mg|kg|lbs?|pounds|minutes|mins?|hours|hrs|days|weeks|months|%|'|\d))[^.?!\n]{0,60}\b(?:can|could|am i|eligible|allowed|too (?:old|young)|sign me up|get (?:ketamine|spravato|infusions|treatment))\b",
    ]), view="folded"),
    rule("medical_advice", "condition_eligibility", rf"(?:\bi have\b|\bi'?ve got\b|\bi'?ve had\b|\bi had\b|\bi was diagnosed\b|\bi'?m diagnosed\b|\bi suffer\b|\bi'?m\b|\bim\b|\bi am\b|\bwith my\b|\bgiven my\b|\bif i have\b|\bsince i have\b|\bmy history of\b|\bmy\b)\s+(?:[\w,'-]+\s+){{0,6}}?{CONDITION}",
          context=r"\b(?:can i|could i|should i|am i|is it safe|safe for me|for me|rule me out|disqualif\w*|eligible|candidate|qualify|still (?:get|have|do|try)|allowed|ok for me|okay for me|fit|worse|risky|dangerous|a problem|an issue|interfere|affect|trigger|safely)\b",
          unless=r"\blost (?:my|our) \w+ to\b|\b(?:died|passed away|passed) (?:of|from)\b", view="folded"),
    rule("medical_advice", "own_medicines", "|".join([
        rf"\bmy\s+(?:\S+\s+){{0,3}}?{MEDS}\b",
        rf"\b(?:me|i'?m|im|i am|i be|get me|to get)\s+(?:\w+\s+){{0,2}}?off\s+(?:of\s+)?(?:my\s+)?{MEDS}\b",
        r"\bi (?:drink|smoke|vape|use drugs|get drunk)\b(?:\s+\w+){0,4}?\s+(?:every ?day|daily|a lot|heavily|most (?:days|nights)|regularly|every night|weekly|on weekends)\b",
        r"(?:\bi\b|\bi'?m\b|\bim\b)\s+(?:\w+\s+){0,2}?(?:smoke|smoking|drink|drinking|vape|vaping|use|using|take|taking|microdose|microdosing)\s+(?:\w+\s+){0,2}?(?:weed|cannabis|marijuana|thc|cbd|edibles|gummies|alcohol|wines?|beers?|drinks|shots|joints?|kratom|nicotine|psilocybin|mushrooms)\b",
        rf"(?:\bi\b|\bi'?m\b|\bim\b|\bi am\b|\bi'?ve been\b|\bive been\b)\s+(?:\w+\s+){{0,2}}?(?:on|taking|take|took|prescribed|using|use|started|starting|stopped|quit|switched to|just started|been on)\s+(?:\w+\s+){{0,3}}?{MEDS}\b",
    ]), context=[
        r"\b(?:take|taking|stop|stopping|quit|skip|continue|keep|mix|combine|interact\w*|interfer\w*|affect|safe|ok|okay|fine|allowed|switch|change|lower|raise|increase|decrease|reduce|taper|wean|come off|go off|double|halve|before|after|while|during|with|and|problem|issue|cancel|effective|work|any|ketamine|spravato|can i|should i|is it)\b",
        r"\?",
    ], unless=r"\b(?:insurance|cover|covered|cost|price|pay|copay|pharmacy|refill|list|bring)\b", view="folded"),
    rule("medical_advice", "stop_or_change_medicine", rf"{PERSONAL_ASK}{WINDOW}{{0,40}}\b(?:stop|stopping|quit|quitting|skip|skipping|taper|tapering|wean|weaning|come off|coming off|go off|going off|get off|lower|lowering|reduce|reducing|increase|increasing|double|halve|split|switch|switching|change|changing|pause|hold)\b{WINDOW}{{0,30}}\b{MEDS}\b", view="folded"),
    rule("medical_advice", "own_pregnancy", "|".join([
        r"\b(?:i'?m|im|i am|i might be|i may be|i could be|i think i'?m|i just found out i'?m|found out i'?m|we'?re|we are|my (?:wife|partner|girlfriend) is|i got|i became|i'?m trying to|we'?re trying to|planning to|if i (?:get|got|become|am|were|was))\s+(?:\w+\s+){0,2}?(?:pregnant|breast ?feeding|nursing|expecting|trying to conceive|conceive|ttc|pumping)\b",
        r"\b(?:can|could|should|may|do) i\s+(?:still\s+)?(?:breast ?feed|nurse|pump|get pregnant|try to conceive|conceive)\b",
        r"\bmy (?:pregnancy|baby|newborn|infant|breast ?milk|milk supply|unborn)\b",
    ]), view="folded"),
    rule("medical_advice", "own_symptoms", requires=_SYMPTOM_CONCERN.pattern, unless=r"\bmy (?:\w+ )?(?:dog|cat|pet|puppy|kitten|horse|bird|rabbit|hamster|fish)\b", pattern=[
        rf"(?:\bi'?ve\b|\bive\b|\bi have\b|\bi had\b|\bi get\b|\bi got\b|\bi'?m\b|\bim\b|\bi am\b|\bi feel\b|\bi felt\b|\bi was\b|\bi keep\b|\bi noticed\b|\bi'?ve been\b|\bmy\b|\bsince my\b|\bafter my\b)\s+(?:\w+\s+){{0,6}}?{SYMPTOM}",
        rf"{SYMPTOM}{WINDOW}{{0,40}}\b(?:after|since|during|from|with|before) my\b",
        r"\bwhen i (?:pee|urinate|stand up|wake up|lie down)\b",
    ],
          context=None, view="folded"),
    rule("medical_advice", "home_use", r"\b(?:at home|at-home|home use|from home|take (?:it|ketamine|spravato|the spray|the nasal spray|the device|some|a dose|doses|troches|lozenges) (?:back )?home|(?:home|take-home) (?:kit|supply|dose|doses|treatment|version|prescription)|instead of coming in|without coming (?:in|to the clinic))\b",
          context=rf"(?:{PERSONAL_ASK})[^.?!\n]*\b(?:use|do|take|have|get|self-administer|administer|give myself|ketamine|spravato|spray|troches?|lozenges?|rdt|doses?|treatment|infusions?)\b", view="folded"),
]
