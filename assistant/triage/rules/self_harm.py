"""Self-harm: cutting, burning, hitting or otherwise injuring oneself, urges and relapse, for the
writer or a third person; and requests that promote it. Crisis answers for these add the clinic's
self-harm help lines (``self_harm_resources``)."""

from __future__ import annotations

from assistant.triage.rules import rule
from assistant.triage.rules.vocabulary import FIRST, POSS, SELF, THIRD, WINDOW

_BODY = r"(?:arms?|wrists?|legs?|thighs?|skin|stomach|belly|hips?|hands?|fingers?|chest|ankles?|forearms?|face)"

RULES = [
    rule("self_harm", "harm_self", rf"\b(?:hurt(?:ing|s)?|harm(?:ing|ed|s)?|cut(?:ting|s)?|burn(?:ing|ed|t|s)?|scratch(?:ing|ed)?|punish(?:ing|ed)?|starv(?:e|ing|ed)|bang(?:ing)? {POSS} head|mutilat\w*)\s+{SELF}\b",
          unless=r"\baccident\w*|\bshav\w*|\bcooking\b|\bgym\b|\bworking out\b"),
    rule("self_harm", "self_harm_personal", r"\bself[- ]?(?:harm\w*|injur\w*|mutilat\w*)|\bcutting (?:again|myself|herself|himself)\b|\brelapsed? on (?:self[- ]?harm|cutting)\b|\bbeen cutting\b",
          context=rf"{FIRST}|\bmy\b|\bme\b|{THIRD}|\burges?\b|\brelapse|\bwithout anyone\b|\bhide\b"),
    rule("self_harm", "self_neglect_on_purpose", r"\b(?:hurt|cut|burn|starv|stopp?ed (?:eating|taking)|not eating|skipp?(?:ed|ing) (?:my )?meals|took|skipped my meds|not taking my meds)\w*\b[^.?!\n]{0,40}\bon purpose\b"),
    rule("self_harm", "injures_body", [
        rf"\b(?:cut|cuts|cutting|slic\w*|carv\w*|burn|burns|burning|burned|burnt|scratch\w*|scrap\w*|gouge\w*|bit|bite|biting|stab\w*|punch\w*|hit|hitting|bruis\w*)\s+(?:into\s+)?{POSS}\s+(?:own\s+)?(?:\w+\s+)?{_BODY}\b",
        rf"\b(?:razor|blade|blades|lighter|cigarette|scissors|compass|glass|knife|hot (?:iron|pan|spoon))\b{WINDOW}{{0,40}}\b(?:{POSS}|on|into|against) (?:\w+ )?{_BODY}\b",
        rf"\b(?:bang\w*|slam\w*|hit\w*|punch\w*)\s+{POSS}\s+(?:head|fists?)\s+(?:against|into|on)\b",
        r"\b(?:scratch|pick|dig)\w*\b[^.?!\n]{0,30}\buntil (?:it|they|i|my skin) (?:bleed|bled|bleeds)\b",
        rf"\b(?:carv\w*|cut\w*|pierc\w*|slic\w*|stab\w*)\s+(?:\w+\s+){{0,3}}?(?:into|in|on|through)\s+{POSS}\s+(?:own\s+)?(?:\w+\s+)?(?:{_BODY}|arteries|artery|veins?)\b",
        rf"\b(?:pierc\w*|sever\w*|slit\w*|cut\w*|open\w*)\s+{POSS}\s+(?:own\s+)?(?:\w+\s+)?(?:arteries|artery|veins?|wrists?|throat)\b",
    ], context=rf"{FIRST}|\bmy\b|\bme\b|{THIRD}", unless=r"\b(?:accident\w*|cooking|oven|shav\w*|paper cut|sunburn\w*|tattoo\w*|surgery|iv (?:line|site)|needle|blood draw)\b"),
    rule("self_harm", "doing_it_to_myself", [
        r"\b(?:keep|kept|been|started|start|stop|stopped|can'?t stop)\s+(?:doing|did)\s+(?:it|this|that)\s+to\s+(?:myself|my ?self|my (?:arms?|legs?|skin|body))\b",
        r"\b(?:burns?|cuts?|scratches|bruises|scars|wounds|marks)\b[^.?!\n]{0,60}\b(?:to|on) myself\b|\bmyself\b[^.?!\n]{0,30}\b(?:burns?|cuts?|scars|wounds)\b",
    ], requires=r"\b(?:burns?|cuts?|cutting|burning|scratch\w*|bruis\w*|scars?|wounds?|marks?|blood|bleed\w*|razor|blade|lighter|cigarette)\b"),
    rule("self_harm", "hiding_the_marks", [
        rf"\b(?:my|her|his)\s+(?:arms?|wrists?|legs?|thighs?|stomach)\s+(?:are|is)\s+(?:all\s+)?(?:covered|scarred|marked|cut)\b",
        rf"\b(?:hide|hiding|cover|covering)\s+(?:up\s+)?(?:the\s+|my\s+|her\s+|his\s+)?(?:cuts|scars|marks|burns|bruises|wounds)\b",
    ], context=r"\b(?:nobody|no one|anyone|asks?|notice\w*|sees?|see them|summer|sleeves|wear|hide|nurse|parents?|session|appointment)\b"),
    rule("self_harm", "urges_and_relapse", [
        r"\b(?:urges?|urge|itch|craving)\s+to\s+(?:cut|burn|hurt|harm|hit|punish)\b",
        r"\bsh\b[^.?!\n]{0,30}\b(?:relapse\w*|clean|urges?|again|scars?|marks?|days|weeks|months)\b|\b(?:relapse\w*|clean|urges?)\b[^.?!\n]{0,30}\bsh\b",
        r"\b(?:fresh|new|deep)\s+(?:cuts|scars|marks|wounds)\b",
        # a relapse told without an object: "i cut again last night after 8 months clean"
        rf"{FIRST}\s+(?:\w+\s+)?(?:cut|burned|burnt|hit|scratched|hurt)\s+(?:again|last night|today|tonight|yesterday)\b[^\n]{{0,60}}\b(?:clean|again|relapse\w*|streak|months|weeks|days|urges?)\b",
        r"\b(?:\d+|a few|several|two|three|six|eight|ten)\s+(?:days|weeks|months|years)\s+clean\b[^\n]{0,60}\b(?:cut|burn\w*|hurt|relapse\w*|sh)\b|\b(?:cut|burn\w*|hurt|relapse\w*|sh)\b[^\n]{0,60}\b(?:\d+|a few|several|two|three|six|eight|ten)\s+(?:days|weeks|months|years)\s+clean\b",
        r"\b(?:deserve|need)\s+(?:to feel|the|to be in)?\s*(?:pain|to hurt|punish\w*)\b",
    ]),
    rule("self_harm", "promotes_self_harm", [
        r"\b(?:self[- ]?harm\w*|cutting|burning yourself|suicide|anorexi\w*|bulimi\w*|starving yourself|purging)\b[^.?!\n]{0,60}\b(?:empower\w*|is (?:good|healthy|beautiful|a lifestyle|the answer)|a healthy|glamor\w*|glorif\w*|tips|tricks|encourag\w*|how to hide|hide (?:it|the marks|scars)|without anyone (?:knowing|noticing)|excuses?)\b",
        r"\b(?:tips|tricks|communities|forums|groups|websites|sites)\b[^.?!\n]{0,40}\b(?:self[- ]?harm\w*|cutting|suicide|anorexi\w*|pro[- ]?ana|pro[- ]?mia|being anorexic|starv\w*)\b",
        r"\b(?:excuses?|explain|cover (?:up|for))\b[^.?!\n]{0,40}\b(?:scars|cuts|marks|bruises|burns|self[- ]?harm\w*)\b",
    ]),
]
