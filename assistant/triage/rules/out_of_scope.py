"""Requests with nothing to do with the clinic's subject: creative writing, coding, the weather,
sports. Only clear cases: a question the library can answer is never off topic, so the
classifier's off-topic view counts only when retrieval finds nothing (see the pipeline)."""

from __future__ import annotations

from assistant.triage.rules import rule

RULES = [
    rule("out_of_scope", "unrelated_task", [
        r"\b(?:write|compose|draft|generate|create|make|give)\b (?:me |us )?(?:a |an |the |some )?(?:\w+ ){0,2}(?:poem|haiku|song|lyrics|story|essay|joke|limerick|thank you note|note|card|toast|invitation|cover letter|resume|cv|tweet|blog post|speech|rap|code|script|function|program|sql|regex|website|app|recipe|business plan|ad copy|slogan|itinerary|workout plan|meal plan|grocery list|logo|birthday)\b",
        r"\b(?:python|javascript|java|c\+\+|sql|html|css|excel formula|spreadsheet|debug|compile|docker|kubernetes|iphone|android|windows \d+|laptop)\b",
        r"\b(?:weather|forecast|temperature|stocks?|bitcoin|crypto\w*|ethereum|lottery|super bowl|world cup|nfl|nba|lakers|recipe|homework|math problem|square root|capital of|population of|horoscope|tarot|flight|mortgage|taxes|chess|cricket)\b",
        r"\btranslate\b",
        r"\btell me a joke\b",
        r"\bpodcasts?\b",
        r"\bplan (?:my|a|the|our) (?:wedding|party|trip|vacation|holiday|event|budget|week|meals)\b",
        # school work: equations, proofs, worksheets
        r"\bsolve for [a-z]\b|\b\d+\s*[a-z]\s*[-+*/^]\s*\d+\s*=|\bshow (?:all )?(?:the |your |my )?(?:steps|work(?:ing)?)\b|\b(?:worksheet|assignment|essay|problem set|quiz|exam question)\b[^.?!\n]{0,40}\bdue\b",
    ],
          unless=r"\bduring (?:it|them|that|the session|my session|an? infusions?|the infusion|treatment)\b|\b(?:ketamine|spravato|esketamine|infusions?|sessions?|treatments?|therap\w+|depress\w*|ptsd|anxiety|clinic|appointment|dose|medication|doctor|psychiatr\w*|side effects?|mental health|suicid\w*|drug test|prescri\w*)\b", view="folded"),
    # harm to other people or their property that has nothing to do with the clinic: phishing and scams,
    # getting into someone else's accounts or devices, theft, covert tracking of a person
    rule("out_of_scope", "harm_to_others", [
        r"\b(?:phishing|phish)\b|\b(?:email|e-mail|text|message|website|page|login page)\b[^.?!\n]{0,60}\b(?:looks? like|pretend(?:s|ing)? to be|pos(?:e|es|ing) as|imperson\w*|spoof\w*)\b[^.?!\n]{0,40}\b(?:bank|paypal|amazon|apple|microsoft|irs|chase|netflix|company|the government)\b",
        r"\b(?:type|enter|give|hand over|put) in (?:their|his|her) (?:login|password|card|bank|credentials|details)\b",
        r"\b(?:get|break|hack|log|sign) (?:in|into|in to)\b[^.?!\n]{0,30}\b(?:someone(?:'?s| else'?s)|my (?:ex|wife|husband|partner|boyfriend|girlfriend|boss|coworker|neighbou?r|roommate)'?s?|(?:his|her|their))\b[^.?!\n]{0,30}\b(?:account|instagram|facebook|snapchat|email|phone|icloud|gmail|whatsapp|computer|laptop|wifi|dms?)\b",
        r"\b(?:without|so) (?:him|her|them|she|he|they)\b[^.?!\n]{0,15}\b(?:knowing|finding out|finds? out|noticing|notices?)\b[^.?!\n]{0,60}\b(?:password|account|dms?|messages|texts|location|phone|track\w*|spy\w*|read)\b|\b(?:track|trace|spy on|monitor|follow|read)\b[^.?!\n]{0,40}\b(?:phone|location|messages|texts|dms|whereabouts)\b[^.?!\n]{0,40}\b(?:secretly|without (?:him|her|them) knowing|never finds? out|so (?:she|he|they) (?:doesn'?t|don'?t|won'?t) know)\b",
        r"\b(?:secretly|covertly)\s+(?:install|put|track|trace|spy on|monitor|follow|record|read)\b|\bsee where (?:she|he|they) (?:goes|go|is|are)\b|\b(?:spy|stalker|tracking|tracker) (?:app|software|device)\b",
        r"\b(?:steal|shoplift|slash|key|vandali[sz]e|break|smash)\b[^.?!\n]{0,40}\b(?:without (?:getting caught|being seen|anyone (?:noticing|knowing|seeing))|without the alarm|(?:ring|security) camera|self ?checkout)\b|\bsteal (?:stuff|things|from)\b|\bslash\w* (?:someone'?s|his|her|their|my neighbou?r'?s|my ex'?s) tires\b",
        r"\b(?:bypass|disable|defeat|get around|hotwire|hot-wire)\b[^.?!\n]{0,30}\b(?:immobili[sz]er|ignition|car alarm|steering lock|alarm system|security camera|lock)\b|\bhot ?wire (?:a|the|his|her)\b|\b(?:steal|shoplift|pickpocket|break into|rob)\b[^.?!\n]{0,30}\b(?:car|house|store|shop|bank|wallet|purse|apartment|atm|catalytic)\b",
        r"\b(?:not mine|isn'?t mine|doesn'?t belong to me)\b[^.?!\n]{0,40}\b(?:drive (?:it|off)|take it|open it|unlock)\b",
        r"\b(?:fake|forged?|counterfeit)\s+(?:id|ids|passport|driver'?s license|money|bills|diploma|degree|reviews)\b",
        # harming another person or an animal on purpose: poisoning, making someone ill, arson
        r"\b(?:put|toss|throw|feed|give|mix|slip|sneak|spike)\b[^.?!\n]{0,40}\b(?:in|into|on)\s+(?:a |the |some |his |her |their )?(?:piece of )?(?:meat|food|treat|drink|coffee|tea|water|lunch|dinner)\b[^.?!\n]{0,80}\b(?:shut (?:it|him|her|them) up|for good|get sick|gets sick|make (?:it|him|her|them) sick|poison\w*|knock (?:it|him|her|them) out)\b",
        r"\b(?:chemicals?|poison|bleach|ammonia|antifreeze|rat poison)\b[^.?!\n]{0,80}\b(?:so (?:he|she|they|it) (?:gets?|get|feels?|feel|becomes?) (?:sick|ill)|make (?:him|her|them|it) (?:sick|ill)|in (?:his|her|their|my \w+(?:-in-law)?'?s) (?:garage|house|room|car|food|drink|office))\b",
        r"\b(?:start|set|light)\s+(?:a\s+)?(?:small\s+)?fire\s+(?:at|in|to)\s+(?:my (?:old |ex-?|former )?(?:boss|neighbou?r|ex|landlord|coworker)'?s?|his|her|their|the (?:restaurant|store|shop|office|house|car|school))\b|\bburn (?:down )?(?:his|her|their|my (?:old )?(?:boss|neighbou?r|ex|landlord)'?s?) (?:house|car|restaurant|shop|store|place)\b",
        r"\b(?:looks? like|seem like|pass (?:it )?off as) an? (?:accident|electrical (?:thing|fire|fault)|break-?in)\b|\bwithout leaving (?:any )?(?:evidence|a trace|traces|prints|fingerprints)\b|\bso (?:insurance|the police|no one|nobody) (?:doesn'?t |won'?t |can'?t |don'?t )?(?:suspects?|finds? out|knows?|traces? it)\b",
        # finding where a stranger lives (doxxing)
        r"\b(?:find out|figure out|track down|find)\s+where\s+(?:a guy|a girl|someone|this (?:guy|person|girl|woman|man)|he|she|they|my ex)\s+(?:\S+\s+){0,9}?(?:lives|live|works|stays)\b|\b(?:his|her|their) (?:home )?address from (?:a |his |her |their )?(?:username|photo|picture|profile)\b",
    ], view="folded"),
]
