"""Use outside medical care: buying without a prescription, recreational use, selling or sharing
doses, evading drug tests, making or converting ketamine, faking symptoms for a prescription."""

from __future__ import annotations

from assistant.triage.rules import rule
from assistant.triage.rules.vocabulary import KET, NOT_TREATMENT, PERSONAL_ASK, WINDOW

RULES = [
    rule("illicit", "without_prescription", [
        r"\b(?:without|no|w/o|skip(?:ping)? the|without needing|without getting|without seeing|no need for) (?:a |an |any )?(?:prescription|script|rx|doctor|psychiatrist|evaluation|screening|prescriber)\b",
        r"\bwithout (?:going to|visiting|seeing|a visit to) (?:a |the |any )?(?:clinic|doctor|psychiatrist|prescriber)\b",
    ],
          context=rf"{KET}|\b(?:buy|get|order|obtain|ship|sell|source|purchase)\w*\b", view="folded"),
    rule("illicit", "buy_it", [
        rf"\b(?:buy|buying|bought|purchase|purchasing|order|ordering|score|scoring|cop|copping)\s+(?:\w+\s+){{0,2}}?{KET}{NOT_TREATMENT}",
        rf"\b(?:get|getting|find|buy|buying|score|cop|order|source|pick up)\b{WINDOW}{{0,15}}\b(?:ket|special k|vitamin k|kitty|k powder|ketamine powder|ketamine crystals)\b",
        r"\b(?:dark|deep) ?web\b",
        r"\bdarknet\b",
    ], context=KET, view="folded"),
    rule("illicit", "buy_online", rf"\b(?:buy|purchase|order|score|cop)\w*\b{WINDOW}{{0,40}}\b(?:online|on the internet|from a website)\b", context=KET, view="folded"),
    rule("illicit", "buy_outside_care", rf"\b(?:buy|purchase|order|score|cop|find|source|obtain|acquire|get|sells?|selling|ship\w*)\b{WINDOW}{{0,40}}\b(?:on the (?:street|dark ?web)|dark ?web|darknet|from a (?:dealer|friend|vet|horse vet)|dealers?|plug|street|from (?:mexico|india|china|overseas|abroad|canada)|overseas|in bulk|telegram|reddit|a vet\b|vet clinic|horse vet|veterinar\w*)\b",
          context=rf"{KET}|\b(?:it|some|this stuff)\b", view="folded"),
    rule("illicit", "where_to_buy", [
        rf"\b(?:where|who)\b{WINDOW}{{0,25}}\b(?:buy|score|order|cop|purchase|sells?|ships?)\b{WINDOW}{{0,20}}{KET}{NOT_TREATMENT}",
        rf"\b(?:where|who)\b{WINDOW}{{0,25}}\b(?:get|find)\b{WINDOW}{{0,6}}(?:k|ket|special k)\b",
        rf"\b(?:plug|dealer)\b{WINDOW}{{0,30}}{KET}",
        rf"{KET}{WINDOW}{{0,30}}\b(?:plug|dealer)\b",
        r"\bstreet (?:price|ketamine|k)\b",
        r"\bvet (?:ketamine|k)\b",
        r"\bketamine from (?:a |the )?(?:vets?|horse|dealers?|india|mexico|china)\b",
    ], view="folded"),
    rule("illicit", "recreational_use", r"\b(?:recreational(?:ly)?|for fun|to party|(?:at|to|for) (?:a |the |this )?(?:party|rave|festival|club|night out|concert|gig)|fun (?:dose|amount|night|time)|get(?:ting)? high|stronger high|get(?:ting)? (?:messed|f\w*ed) up|tripp?(?:ing)? balls|good trip|k-?hole|bumps? of|a bump|snort\w*|sniff(?:ing)? (?:k|ket|ketamine|it|a line)|(?:lines?|rails?) of (?:k|ket|ketamine|coke)|party (?:with|on) (?:k|ket|ketamine))\b",
          context=[
        rf"{PERSONAL_ASK}",
        r"\b(?:i|we|us|our)\b",
        r"\bhow (?:do|can|would|to|much|many)\b",
        r"\bbest way\b",
        r"\btips\b",
        r"\bwhat'?s a (?:good|fun|nice|decent|safe)\b",
        r"\bwhat drugs\b",
        r"\bgoes (?:well|good)\b",
        r"\bis it (?:safe|ok|okay|dangerous)\b",
    ], unless=r"\b(?:what is|what'?s) a k-?hole\b(?![^.?!\n]*\b(?:how|get|reach)\b)|\bdoes it happen\b|\b(?:died|passed away|lost (?:my|our|a)|killed|funeral)\b", view="folded"),
    rule("illicit", "evade_drug_test", [
        r"\b(?:avoid|not|without) (?:testing|showing up|coming up|popping) positive\b",
        r"\bavoid (?:a |the )?(?:drug test|detection)\b",
        r"\b(?:pass|beat|fool|cheat|evade|get around|hide|mask|flush|clean|detox)\w*\b[^.?!\n]{0,60}\b(?:drug (?:test|screen)|urine (?:test|screen)|\bua\b|hair (?:follicle )?test|tox(?:icology)? screen|piss test|(?:work|employer'?s?|probation|court|court ordered|parole) (?:drug )?(?:test|screen))",
        r"\b(?:get|flush|clear)\w* (?:it|ket|ketamine|k) out of my system\b",
        r"\b(?:so|that)\s+(?:that\s+)?(?:it|ket|ketamine|k)\s+(?:won'?t|doesn'?t|does not|will not|wouldn'?t)\s+(?:show up|appear|be detected|come up)\b",
        r"\b(?:make sure|ensure|so)\b[^.?!\n]{0,40}\b(?:won'?t|doesn'?t|does not|will not|isn'?t|wouldn'?t) (?:show up|appear|be detected|come up|test positive)\b",
    ],
          context=r"\b(?:ketamine|ket|k|drug|test|screen|used|using)\b", view="folded"),
    rule("illicit", "divert_prescription", [
        rf"\b(?:sell|selling|sold|resell|trade|trading|lend|sneak|smuggle)\b{WINDOW}{{0,40}}\b(?:prescription|script|troches?|lozenges?|spray|devices?|doses?|ketamine|spravato|vials?)\b",
        rf"\b(?:give|giving|share|sharing|split|splitting)\b{WINDOW}{{0,30}}\b(?:my|some of my|leftover|extra|spare|unused)\b{WINDOW}{{0,20}}\b(?:prescription|script|troches?|lozenges?|spray|devices?|doses?|ketamine|spravato|vials?)\b{WINDOW}{{0,30}}\b(?:to|with)\b",
        r"\b(?:give|let)\s+(?:him|her|them|my \w+|a friend)\s+(?:some|one|a few|try)\b",
        rf"\b(?:use|using|take|taking|try|trying)\b{WINDOW}{{0,10}}\b(?:my (?:wife|husband|partner|friend|brother|sister|mom|dad|roommate)'?s|someone else'?s|another person'?s)\b{WINDOW}{{0,20}}\b(?:prescription|troches?|lozenges?|spray|ketamine|doses?)\b",
        rf"\b(?:keep|save|stash)\b{WINDOW}{{0,30}}\b(?:spray|troches?|lozenges?|doses?|ketamine|devices?)\b{WINDOW}{{0,40}}\b(?:later|for fun|party|weekend|friends)\b",
        r"\bmore (?:troches|lozenges|doses|ketamine|refills) than (?:my|the) prescription\b",
        rf"\b(?:two|2|multiple|several|different)\s+(?:different\s+)?(?:clinics|doctors|prescribers|telehealth(?: \w+)?|providers|pharmacies|psychiatrists)\b{WINDOW}{{0,60}}\b(?:at the same time|so i (?:have|get|can get) more|more|extra|double|twice)\b",
        r"\b(?:let|can|could|may|should)\s+(?:my|a)\s+(?:\w+\s+)?(?:use|try|have|take|borrow)\s+(?:some of\s+)?my\s+(?:\w+\s+)?(?:prescription|troches?|lozenges?|spray|ketamine|doses?|spravato|devices?)\b",
        r"\b(?:pays?|paid|paying) me\b",
        r"\bfor (?:cash|money)\b",
        r"\bhow much (?:should|can|could|do) i (?:charge|sell|ask)\b",
        rf"\b(?:sneak|smuggle|steal|pocket)\w*\b{WINDOW}{{0,30}}\b(?:spravato|ketamine|devices?|spray|vials?|troches|lozenges|doses?)\b",
        r"\b(?:go|going|went) to (?:two|multiple|several) (?:clinics|doctors|prescribers)\b",
        r"\bdoctor shopping\b",
    ], view="folded"),
    rule("illicit", "game_a_screening", [
        # answering a screening questionnaire untruthfully to qualify: "which answers on the PHQ-9
        # would get me approved? I feel fine". Asking what score qualifies is a general question, so
        # the message must also say the answers would not be true.
        r"\b(?:answers?|score|scores|say|answer|put|tick|circle|respond)\b[^.?!\n]{0,40}\b(?:phq-?9?|gad-?7?|pcl-?5?|questionnaire|screening|intake (?:form|questions)|assessment|survey|test)\b[^.?!\n]{0,60}\b(?:approved|qualify|get (?:in|accepted|approved|treatment|a prescription)|eligible|high enough|low enough)\b",
        r"\b(?:score|scores|number|result)\s+(?:\w+\s+)?(?:high|low|bad) enough to (?:qualify|get (?:in|approved|accepted|treatment|it|ketamine|a prescription))\b",
    ], requires=r"\b(?:i (?:feel|am|'?m) (?:fine|ok|okay|good|great|not (?:really )?depressed)|im (?:fine|ok|okay|not (?:really )?depressed)|(?:don'?t|do not) (?:really )?(?:feel|have|get) (?:depressed|anxious|that bad|symptoms)|not (?:actually|really) (?:depressed|anxious|sick)|(?:just|only) (?:need|want) (?:my|the|a) (?:score|number|result|prescription|script)|game|cheat|beat|trick|fake|lie|pretend|exaggerat\w*)\b", view="folded"),
    rule("illicit", "untrue_treatment_history", [
        # telling the clinic or the insurer a treatment history that is not true, to qualify
        r"\b(?:if i|can i|should i|could i)\s+(?:just\s+)?(?:tell|say|put down|write|claim|list)\b[^.?!\n]{0,60}\b(?:i (?:also )?(?:tried|failed|was on|have been on|'?ve been on|took|used)|(?:two|2|three|3) (?:antidepressants|meds|medications|ssris))\b",
    ], requires=r"\b(?:only (?:ever )?(?:been on|tried|took)|never (?:actually |really )?(?:tried|taken|been on)|i haven'?t|i have not|i didn'?t|not (?:really|actually|true)|for like a (?:week|month)|would (?:they|anyone|anybody) (?:\w+ )?(?:check|know|find out|notice)|will (?:they|anyone) (?:\w+ )?(?:check|know|notice)|believab\w*)\b", view="folded"),
    rule("illicit", "game_the_evaluation", [
        r"\b(?:which|what) (?:\w+ )?(?:should|do|can|could) i (?:say|tell|claim|list|put)\b[^.?!\n]{0,80}\b(?:believab\w*|convincing|realistic|legit|sounds? (?:real|true|right))\b",
        r"\b(?:tell|say to|claim to|convince) (?:the |my |a )?(?:doctor|psychiatrist|prescriber|clinic|nurse|insurance|insurer)\b[^\n]{0,80}\b(?:i haven'?t|i have not|i didn'?t|which i haven'?t|that'?s not true|not true|even though i (?:haven'?t|didn'?t))\b",
        r"\b(?:fake|faking|forge|forged|alter|make up|lie about|lying about|exaggerate|pretend (?:to have|i have))\b[^.?!\n]{0,40}\b(?:prescription|script|symptoms?|diagnosis|depression|ptsd|anxiety|history)\b",
        r"\b(?:what|which) (?:\w+ )?(?:should|do|can|could) i (?:say|tell|fake|claim|describe|mention|report|act out|pretend)\b[^.?!\n]{0,60}\b(?:prescribe|approve|qualify|get (?:ketamine|spravato|a prescription))\w*",
        r"\b(?:trick|fool|con)\w*\b[^.?!\n]{0,40}\b(?:prescrib\w*|doctor|clinic|psychiatrist)\b",
        r"\bfake (?:script|prescription)\b",
        r"\b(?:symptoms?|diagnosis|story)\b[^.?!\n]{0,20}\b(?:fake|make up|exaggerate|lie about|claim)\b",
        r"\b(?:excuse|story|lie|say|tell|reason)\w*\b[^.?!\n]{0,40}\bto get (?:my|the|a) (?:doctor|psychiatrist|prescriber|clinic|nurse|np)\b[^.?!\n]{0,15}\bto (?:write|prescribe|give|approve|increase|up)\b",
    ], view="folded"),
    rule("illicit", "make_or_convert", [
        rf"\b(?:make|cook|synthesi[sz]e|extract|turn|convert|cook down)\b{WINDOW}{{0,30}}\b(?:ketamine|vials?|liquid ketamine)\b{WINDOW}{{0,30}}\b(?:at home|into powder|powder|crystals|myself)\b",
        r"\bhow (?:do i|to|can i) (?:make|cook|synthesi[sz]e) (?:ketamine|k)\b",
    ], view="folded"),
    rule("illicit", "mix_for_high", [
        r"\b(?:k|ket|ketamine)\b[^.?!\n]{0,20}\b(?:and|with|plus|or)\b[^.?!\n]{0,10}\b(?:coke|cocaine|molly|mdma|ecstasy|acid|lsd|shrooms|2c-?b|ghb|meth)\b",
        r"\b(?:coke|cocaine|molly|mdma|ecstasy|acid|lsd|shrooms|2c-?b|ghb|meth)\b[^.?!\n]{0,20}\b(?:and|with|plus|or)\b[^.?!\n]{0,10}\b(?:k|ket|ketamine)\b",
    ],
          context=rf"{PERSONAL_ASK}|\b(?:i|we|is it safe|is it (?:a )?good|combo|party|night out|vibe|can you)\b|\?", view="folded"),
]
