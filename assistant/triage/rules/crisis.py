"""Crisis: suicide and overdose, structured after the Columbia scale's levels.

Wish to be dead, active thoughts, method, intent, plan (time and place), preparatory acts and
access to means, farewells, an overdose taken or intended; hopelessness and exhaustion with living
(weak on their own). Every detector covers the writer and a third person, and none of them fires on
education ("what is suicide"), a homonym ("kill a process") or a negated mention ("I'm not
suicidal"): they need a person and an act. Self-harm and eating disorders have files of their own.
"""

from __future__ import annotations

from assistant.triage.rules import rule
from assistant.triage.rules.vocabulary import (
    ANY_SELF,
    DEATH_ACT,
    FIRST,
    GAP,
    INTENT,
    MEDS,
    POSS,
    SELF,
    THIRD,
    WHO,
    WINDOW,
)

RULES = [
    # ---- wish to be dead, passive ideation
    rule("crisis", "wish_dead", r"\bwish(?:ed)? (?:that )?(?:i|he|she) (?:was|were|had|could|would|'?d) (?:just )?(?:dead|gone|never (?:been )?born|not (?:been )?born|not (?:here|alive)|die|disappear|not wake up|never wake up)"),
    rule("crisis", "not_want_to_live", r"\b(?:do ?n'?t|do not|does ?n'?t|does not|no longer|never) (?:really )?wants? to (?:live|be alive|exist|wake up|go on|keep going|keep living|continue living|be here any ?more|be here any longer|be around any ?more|be here$|be here[.!,]|be here (?:now|tomorrow|today|tonight))\b"),
    rule("crisis", "desire_to_die", rf"\b(?:want(?:s|ed)?|wanna|wish(?:es|ed)?|long(?:ing)?|ready)\s+(?:to\s+)?(?:just\s+|simply\s+|finally\s+)?{DEATH_ACT}"),
    rule("crisis", "passive_ideation", [
        r"\b(?:wouldn'?t|would not|won'?t|don'?t|do not|wouldn'?t even) (?:mind|care)\b[^.?!\n]{0,40}\b(?:dying|die|died|dead|not wak\w+|wake up|hit by|gone|existing|living|crash\w*)\b",
        r"\b(?:dying|die|died|dead|hit by a \w+|not waking up)\b[^.?!\n]{0,40}\b(?:wouldn'?t mind|don'?t care|would be (?:a )?relief|be a relief|be fine|be okay|be ok)\b",
        r"\b(?:stop(?:ped)?|cease[ds]?|quit) (?:existing|to exist|being alive)\b",
        r"\bfade away\b",
        r"\b(?:if|when) i (?:die|was dead|were dead|was gone|were gone|disappear\w*)\b[^.?!\n]{0,30}\b(?:better|relief|care|notice|miss|fine|easier)\b",
        # a condition of dying or not waking, and not minding it: "if I just didnt wake up after one of
        # these I wouldnt be that upset", "if I died in my sleep honestly I'd be fine"
        r"\b(?:if|when) i (?:just |simply |ever |happened to |were to )?(?:did ?n'?t|did not|never|do ?n'?t|do not|would ?n'?t|wo ?n'?t) (?:ever )?wake (?:back )?up\b[^.?!\n]{0,80}?\b(?:would ?n'?t|would not|wo ?n'?t|not|i'?d|i would|honestly|that'?d)\b[^.?!\n]{0,25}?\b(?:mind|care|upset|sad|bothered|sorry|matter|fine|okay|ok|relie\w*|peace\w*|grateful|thankful|happy|glad|problem)\b",
        r"\b(?:if|when) i (?:just |simply |happened to |were to )?(?:died|die|was gone|were gone|stopped breathing|passed away|never came back)\b[^.?!\n]{0,80}?\b(?:would ?n'?t|would not|wo ?n'?t|not|i'?d|i would|honestly|that'?d)\b[^.?!\n]{0,25}?\b(?:mind|care|upset|sad|bothered|sorry|matter|fine|okay|ok|relie\w*|peace\w*|grateful|thankful|happy|glad|problem)\b",
    ]),
    rule("crisis", "purpose_not_to_wake", [
        r"\b(?:make sure|to ensure|ensure|so that|so|enough (?:that|to make sure|so)|guarantee|certain)\b[^.?!\n]{0,25}\b(?:i|he|she|they|you|someone)\s+(?:do ?n'?t|does ?n'?t|won'?t|never|will never|would ?n'?t|can'?t|will not|would not)\s+(?:ever\s+)?(?:wake (?:back )?up|come back|survive)\b",
    ]),
    rule("crisis", "not_wake_up", [
        r"\b(?:wants?|wanted|wanting|wanna|wish(?:es|ed|ing)?|hop(?:e|es|ed|ing)|praying|pray|enough|rather|prefer|fine|okay|ok|happy|glad)\b[^.?!\n]{0,30}\b(?:never|not|don'?t|dont|didn'?t|won'?t|wouldn'?t) (?:ever )?wake (?:back )?up\b",
        r"\b(?:never|not|don'?t|didn'?t|won'?t) wake (?:back )?up\b[^.?!\n]{0,30}\b(?:fine|okay|ok|good|better|relief|happy|glad|wouldn'?t mind|don'?t care|whatever)\b",
    ]),
    rule("crisis", "better_off_without", [
        r"\bbetter (?:off )?without (?:me|him|her)\b",
        r"\b(?:better off|happier|relieved|easier|fine)\s+(?:\w+\s+)?(?:without (?:me|him|her)\b|if (?:i|he|she) (?:was|were|wasn'?t|weren'?t|died|disappeared|was gone|were gone))",
        r"\bbetter off dead\b",
        r"\b(?:better|happier|relieved) if (?:i|he|she) (?:was|were|wasn'?t|weren'?t|died|disappeared)\b",
    ]),
    rule("crisis", "nobody_would_miss", r"\b(?:no ?one|nobody|not a single person)\s+(?:would|will|'?d|'?ll)?\s*(?:even\s+)?(?:miss|notice|care|mourn)\b(?:[^.?!\n]{0,25}\b(?:gone|die|dead|if i|about me))?", context=r"\b(?:gone|die|dead|if i|me|i)\b"),
    rule("crisis", "done_with_life", [
        r"\b(?:i'?m|im|i am|i feel|i'?ve been|am)\s+(?:\w+\s+)?(?:done|finished|through) with (?:life|living|everything|it all|this (?:life|world)|being alive|existing)\b",
        r"\btired of (?:living|being alive|life|existing|waking up|being here)\b",
    ]),
    rule("crisis", "no_reason_to_live", [
        r"\b(?:can'?t|cannot|don'?t|do not|couldn'?t|never) (?:see|find|think of|have) (?:a|any|one) (?:single )?(?:reason|point|purpose) (?:to|for|in) (?:live|living|go on|going on|keep going|stay|staying|be alive|being alive|life|carry on)\b",
        r"\b(?:no|nothing|zero|not (?:a|one|any)|what'?s the|whats the|what is the) (?:single )?(?:reason|point|purpose)\s+(?:left\s+)?(?:in |to |for |of )?(?:liv(?:e|ing)|life|go(?:ing)? on|keep(?:ing)? going|be(?:ing)? alive|stay(?:ing)? alive|exist(?:ing)?|wake up|waking up|trying any ?more|it all|any of (?:this|it)|anything any ?more)\b",
        r"\bnothing (?:left )?to live for\b",
        r"\b(?:life|living|my life|it all|being alive|existing)\s+(?:is|'?s)?\s*(?:n'?t|not|no longer|never)\s+(?:really\s+)?worth\b",
        r"\bnot worth living\b",
    ]),
    rule("crisis", "hoping_for_a_fatal_accident", [
        rf"\b(?:imagin\w*|pictur\w*|think\w* about|thought about|fantasi[sz]\w*|dream\w* (?:of|about)|hop(?:e|ed|ing)|wish\w*|pray\w*)\b{WINDOW}{{0,40}}\b(?:crash\w*|swerv\w*|driv\w* (?:off|into)|hit by (?:a |the )?(?:car|bus|truck|train)|(?:fall|falling|fell) (?:off|from)|step\w* (?:out )?in front of|(?:an?|the) (?:fatal |deadly )?accident|not (?:make it|survive)|the plane (?:goes|going) down|don'?t come back)\b",
    ], context=rf"{FIRST}|\bmy\b|{THIRD}", unless=r"\b(?:afraid|scared|worried|fear|nervous|anxious) (?:of|about|that)\b"),
    # ---- active suicidal thoughts, in any words
    rule("crisis", "suicidal_first_person", [
        rf"{FIRST}\s+{GAP}{{0,3}}suicidal\b",
        r"\bmy (?:own )?(?:suicidal|suicide)\b",
        r"\bsuicidal (?:thoughts|ideation|feelings|urges) (?:all week|tonight|lately|again|every day|right now|rn|today|these days|this week|are back|came back|keep)",
    ]),
    rule("crisis", "suicidal_third_person", rf"{THIRD}\s+{GAP}{{0,3}}suicidal\b"),
    rule("crisis", "suicidal_progressive", r"(?:^|[.!?\n]\s*)(?:(?:and|but|so|just|also|honestly|lately|recently|still|ngl|tbh)\s+)*(?:been|having|feeling|getting|keep having|keep getting|struggling with|dealing with)\s+(?:\w+\s+){0,3}?(?:suicidal|suicide|thoughts? (?:of|about) (?:dying|death|suicide))"),
    rule("crisis", "thoughts_of_dying", [
        # Personal, ongoing thoughts of death: "I keep thinking about dying", "thoughts of death all the time".
        r"\b(?:i|i'?ve|i'?m|im|been|keep|always|constantly|can'?t stop)\b[^.?!\n]{0,30}\b(?:think|thinking|thought|thoughts|dream|dreaming|fantasi[sz]ing)\s+(?:about|of)\s+(?:dying|death|being dead|not being (?:here|alive|around)|not waking up|ending (?:it|my life|things))\b",
        r"\b(?:think|thinking|thoughts)\s+(?:about|of)\s+(?:dying|death|being dead|not waking up)\s+(?:all the time|constantly|every day|a lot|more and more|non ?stop)\b",
    ]),
    rule("crisis", "ideation_thoughts", rf"{WHO}\s+{GAP}{{0,4}}(?:thoughts?|thinking|think|dream(?:s|ing)?|fantasi[sz]\w*|obsess\w*|urges?|visions?|images?|imagin(?:e|ing)|pictur(?:e|ing)|planning|research(?:ing|ed)?|look(?:ing|ed) up|search(?:ing|ed)(?: for)?|google(?:d)?) (?:about |of |on |for )?(?:ways to die|how to (?:die|kill {SELF}|end it)|dying|death|being dead|suicide|killing {SELF}|ending (?:it|it all|{POSS} life|things)|not (?:being here|existing|waking up)|hurting {SELF}|self[- ]?harm\w*|{POSS} (?:own )?(?:death|funeral)|disappearing)"),
    rule("crisis", "suicide_then_personal", r"\bsuicid\w*|\bdying\b|\bdeath\b|\bself[- ]?harm",
          context=r"\b(?:mine (?:are|is|have been|keep|get)|me too|i have them|i get them|i'?ve had them|i have those|like me)\b"),
    rule("crisis", "suicide_act", rf"{WHO}\s+{GAP}{{0,4}}?(?:attempt(?:s|ed|ing)?|tr(?:y|ies|ied|ying)|commit(?:s|ting)?|contemplat\w+|consider(?:s|ed|ing)?|think(?:s|ing)? (?:about|of)|thought (?:about|of)|talk(?:s|ed|ing)? about|plan(?:s|ned|ning)?|going to|gonna|wanna|want(?:s|ed)? to)\s+(?:to\s+)?(?:commit\s+)?suicide\b"),
    rule("crisis", "kill_self", rf"\b(?:(?:kil{{1,2}}|kll)(?:ing|s)?|unaliv(?:e|es|ing)|off(?:ing)?|hang(?:ing|s)?|shoot(?:ing)?|drown(?:ing)?|poison(?:ing)?|suffocat(?:e|ing)|stab(?:bing)?|end(?:ing)?)\s+{SELF}\b|\b(?:killed|unalived|hanged|hung|shot|drowned|poisoned|suffocated|stabbed|ended|offed)\s+my ?self\b"),
    rule("crisis", "self_inflicted_past_act", r"\b(?:killed|unalived|hanged|hung|shot|drowned|poisoned|offed)\s+(?:him|her|them) ?sel(?:f|ves)\b", context=r"\b(?:tried|almost|nearly|attempt\w*|yesterday|last night|this (?:morning|week)|today|just|again)\b"),
    rule("crisis", "end_it_all", [
        r"\b(?:end(?:ing)?|finish(?:ing)?) it all\b",
        rf"\bend(?:ing)? {POSS} (?:own )?life\b",
        rf"\btak(?:e|ing) {POSS} (?:own )?life\b",
        r"\bend(?:ing)? (?:things|everything)\b(?! (?:with|between|off|on|at|for))",
        r"\bend(?:ing)? it\b(?=\s*(?:$|[.!?,]|tonight|today|now|soon|for good|forever|this (?:week|weekend|time)|once and for all))",
    ]),
    rule("crisis", "attempt_history", r"\b(?:i|he|she|they)\s+(?:\w+\s+)?attempted\b(?!\s+to\s+(?!kill|end|die|take))|\bsuicide attempts?\b", context=rf"{FIRST}|\bmy\b|{THIRD}"),
    rule("crisis", "slang", [
        r"\b(?:kms|kys|ctb|unaliv\w*|sewer ?slide\w*|self[- ]?delet\w*|commit sudoku|s\*+icide)\b",
        r"\bcheck(?:ing)? out (?:for good|permanently|early|of (?:this )?life)\b",
        r"\bpermanent (?:solution|sleep|exit|way out)\b",
        r"\bplan(?:ning|ned)? (?:my|an) (?:exit|way out)\b",
        r"\b(?:ready|want|wanna|going|gonna|time) to (?:\w+ ){1,2}(?:for good|forever|permanently)\b(?<!leave for good)(?<!move for good)",
    ]),
    rule("crisis", "non_english", "|".join([
        r"\b(?:me )?quiero morir(?:me)?\b", r"\bquisiera morir(?:me)?\b", r"\bganas de morir\b", r"\bme quiero matar\b",
        r"\bmatarme\b", r"\bme voy a matar\b", r"\bsuicid(?:arme|arse|arte|io|ios|a|as)\b", r"\bquitarme la vida\b",
        r"\bquitarse la vida\b", r"\bacabar con (?:mi|su) vida\b", r"\bno quiero (?:seguir )?vivi(?:r|endo)\b",
        r"\bya no (?:puedo|aguanto) mas\b", r"\bhacerme dano\b", r"\bcortarme\b", r"\bme corto\b", r"\bme (?:volvi a )?corte\b", r"\bme (?:hice|hago) cortes\b",
        r"\bmi sono tagliat[oa]\b", r"\btagliarmi\b", r"\bmi taglio\b", r"\bfarmi del male\b", r"\bje me suis coupee?\b", r"\bje me coupe\b",
        r"\bme cortei\b", r"\bich habe mich (?:wieder )?geritzt\b",
        r"\bme tome (?:todas )?(?:las|mis) pastillas\b", r"\bsobredosis\b", r"\bdespedirme\b",
        r"\bno vale la pena vivir\b", r"\b(?:cansad[oa]|hart[oa]) de (?:vivir|la vida|existir)\b", r"\bacabar con todo\b",
        r"\b(?:sin|no (?:le )?(?:veo|tiene)) sentido (?:a |en )?(?:la vida|vivir|seguir)\b", r"\bquiero desaparecer\b", r"\bno quiero despertar\b", r"\bmejor (?:estarian|estaria) sin mi\b", r"\bdesaparecer para siempre\b",
        r"\bje veux mourir\b", r"\benvie de mourir\b", r"\bme tuer\b", r"\bme suicider\b", r"\bse suicider\b",
        r"\bsuicidair\w*\b", r"\bsuicidas?\b", r"\bidees? noires\b", r"\b(?:ideas|pensamientos|pensamentos|ideias|pensieri) (?:suicidas?|suicidi|de (?:morir|muerte|morte))\b", r"\bmettre fin a (?:mes|ses) jours\b", r"\bmettre fin a (?:ma|sa) vie\b",
        r"\ben finir avec la vie\b", r"\bj'?en ai marre de vivre\b", r"\bplus envie de vivre\b",
        r"\bne veux plus vivre\b", r"\bme faire du mal\b", r"\bme scarifier\b", r"\bme mutiler\b",
        r"\bj'?ai pris tou(?:s|tes) (?:mes|les) (?:medicaments|pilules|comprimes|cachets)\b", r"\bsurdose\b",
        r"\bdire adieu\b", r"\bje n'?en peux plus\b", r"\b(?:veux|vais|voudrais|envie d'?|pense a) en finir\b",
        r"\b(?:marre|fatigue|fatiguee) de (?:la vie|vivre)\b", r"\bplus (?:aucune )?(?:raison|envie) de vivre\b", r"\bne plus me reveiller\b",
        r"\bquero morrer\b", r"\bvontade de morrer\b", r"\bme matar\b", r"\bmatar-me\b", r"\bsuicidar\b",
        r"\bsuicidio\b", r"\btirar (?:a )?minha (?:propria )?vida\b", r"\bacabar com (?:a )?minha vida\b",
        r"\bnao quero mais viver\b", r"\b(?:nao|no) quero (?:mais )?(?:estar|ficar|continuar|seguir) viv[oa]\b", r"\bno quiero (?:seguir |estar |continuar )?(?:viv[oa]|vivir|viviendo)\b", r"\bnao quero viver\b", r"\bme machucar\b", r"\bme cortar\b",
        r"\bme cortando\b", r"\btomei todos os (?:meus )?(?:remedios|comprimidos)\b", r"\bme despedir\b",
        r"\bnao aguento mais\b", r"\bsumir para sempre\b", r"\b(?:cansad[oa]) de viver\b", r"\bacabar com tudo\b",
        r"\bsentido (?:em|de|na) (?:viver|vida|continuar)\b", r"\bnao quero (?:mais )?acordar\b",
        r"\bich (?:will|mochte|moechte) sterben\b", r"\b(?:will|mochte) nicht mehr leben\b", r"\bumbringen\b",
        r"\bumzubringen\b", r"\bselbstmord\w*\b", r"\bsuizid\w*\b", r"\bdas leben nehmen\b", r"\bmich (?:selbst )?verletzen\b",
        r"\britze mich\b", r"\bmich ritzen\b", r"\balle (?:meine )?tabletten (?:genommen|geschluckt)\b",
        r"\buberdosis\b", r"\bich kann nicht mehr\b", r"\blebensmude\b", r"\bware lieber tot\b",
        r"\b(?:keine lust|keinen sinn|keine kraft) mehr (?:zu leben|im leben)\b", r"\bkeinen sinn mehr\b", r"\ballem ein ende (?:setzen|machen)\b",
        r"\bnicht mehr aufwachen\b", r"\bmich verabschieden\b",
        r"\bvoglio morire\b", r"\buccidermi\b", r"\btogliermi la vita\b", r"\bsuicid(?:armi|arsi)\b",
        r"\bfarla finita\b", r"\bnon voglio (?:piu )?vivere\b", r"\bnon ce la faccio piu\b", r"\bstanc[oa] di vivere\b",
        r"\b(?:estarian|estaria|estarían|seria|serian) mejor sin mi\b", r"\bmejor sin mi\b", r"\b(?:ficariam?|seria[mn]?) melhor(?:es)? sem mim\b",
        r"\bmieux sans moi\b", r"\bmeglio senza di me\b", r"\bbesser ohne mich\b", r"\bcarta de despedida\b", r"\blettre d'?adieu\b",
        r"\bdit au revoir a tout le monde\b", r"\bse despidio de todos\b", r"\bya no tengo (?:fuerzas|ganas) (?:para|de) (?:seguir|vivir)\b",
        r"\b(?:guardando|juntando|acumulando) (?:pastillas|medicamentos|pildoras)\b", r"\bsin (?:ganas|razon) de vivir\b",
        # death words in these languages: an English-language library cannot judge the context, so be safe
        r"\b(?:morir(?:me|se)?|muerte|muert[oa]|mourir|morrer|morte|sterben|morire)\b",
    ]), view="folded"),
    # In other languages the classifier (an English model) is weak, so these two kinds of warning sign
    # count as weak signals: a dangerous place right now, and not knowing how to go on.
    rule("crisis", "non_english_danger_place", [
        r"\b(?:auf dem|aufs|am|oben auf dem) dach\b", r"\bauf (?:der|einer) (?:brucke|bruecke)\b", r"\ban den gleisen\b",
        r"\b(?:en|sobre) (?:el|la|un|una) (?:techo|tejado|azotea|puente|cornisa)\b", r"\ben las vias del tren\b",
        r"\b(?:sur|au bord du|au bord de la) (?:le |la |un |une )?(?:toit|pont|falaise|rebord)\b",
        r"\b(?:no|na|em cima do|em cima da) (?:telhado|ponte|laje|beirada)\b", r"\b(?:sul|sopra il) (?:tetto|ponte|cornicione)\b",
    ], strength="weak", view="folded"),
    rule("crisis", "non_english_cannot_go_on", [
        r"\b(?:weiss|weis|weib) (?:einfach )?nicht mehr weiter\b", r"\bkomme nicht mehr weiter\b", r"\bhalte (?:es|das) nicht mehr aus\b",
        r"\bno se (?:que|como) (?:hacer|seguir) (?:ya|mas)\b", r"\bya no se que hacer\b", r"\bno puedo seguir\b",
        r"\bje ne sais plus (?:quoi faire|comment continuer)\b", r"\bje ne tiens plus\b",
        r"\bnao sei mais o que fazer\b", r"\bnao consigo mais\b", r"\bnon so piu (?:cosa fare|come andare avanti)\b",
    ], strength="weak", view="folded"),
    rule("crisis", "non_latin_folded", "|".join([
        "chce umrzec", "nie chce zyc", "olmek istiyorum", "yasamak istemiyorum", "intihar", "zelfmoord", "wil dood",
        "pengen mati", "ingin mati", "bunuh diri", "capek hidup", "muon chet", "tu tu", "magpakamatay", "ayoko nang mabuhay",
        "wala nang saysay", "sab khatam kar", "marna chahta", "marna chahti", "jeena nahi", "zindagi khatam", "khudkushi",
        "avskedsbrev", "vil ikke leve", "vill inte leva", "vil do", "haluan kuolla",
    ]), view="folded"),
    rule("crisis", "non_latin", "|".join([
        "想死", "自杀", "自殺", "不想活", "轻生", "輕生", "死にたい", "消えたい", "죽고 싶", "자살",
        "хочу умереть", "покончить с собой", "суицид", "убить себя", "не хочу жить", "انتحار", "أريد أن أموت",
        "اريد ان اموت", "आत्महत्या", "मरना चाहत", "intihar", "olmek istiyorum", "ölmek istiyorum",
        "zelfmoord", "chce umrzec", "chcę umrzeć", "samoboj", "samobój", "tự tử", "muốn chết",
        "magpakamatay", "bunuh diri",
    ]), view="raw"),
    rule("crisis", "harm_themselves_specific", rf"\b(?:kill|unaliv|hurt|harm|cut|hang|end)(?!ed\b)\w*\s+{ANY_SELF}", context=rf"{THIRD}|\btold me to\b|\bsaid to\b"),
    rule("crisis", "third_person_ready_to_die", [
        rf"{THIRD}\s+(?:\w+\s+){{0,3}}?(?:say(?:s|ing)?|said|talk(?:s|ing|ed)? about|keeps? (?:saying|talking about|telling (?:me|us|everyone|people))|tell(?:s|ing)? (?:me|us|everyone|people)|told (?:me|us|everyone)|mention(?:s|ed|ing)?|post(?:s|ed|ing)?|text(?:s|ed)?)\b{WINDOW}{{0,40}}\b(?:ready to (?:die|go|be with|meet)|(?:wants?|wanting) to (?:die|go|be gone|not be here)|(?:has|had) (?:lived|had) (?:long )?enough|done with (?:life|living|it all)|better off (?:dead|gone|without)|not (?:be(?:ing)? )?(?:around|here) (?:much longer|for long|next)|won'?t be (?:around|here)|no (?:reason|point) (?:to|in) (?:live|living|going on)|(?:end|ending) it|tired of (?:living|life|being alive)|(?:his|her|their) (?:own )?funeral)",
    ]),
    # ---- method and lethal amounts
    rule("crisis", "method", [
        r"\bjump(?:ing|ed)? (?:off|from|in front of) (?:a |the |my |this )?(?:bridge|building|roof|rooftop|balcony|cliff|train|bus|car|truck|overpass|window|ledge|parking garage)\b",
        r"\bnoose\b",
        rf"\bslit (?:{POSS}) wrists?\b",
        rf"\b(?:gun|pistol|rifle) (?:to|in) (?:{POSS}) (?:head|mouth)\b",
        r"\b(?:bought|buy|got|get|have|tied|tying|made) (?:a )?rope\b",
        r"\bdriv(?:e|ing) (?:my car )?(?:off (?:the road|a bridge|a cliff)|into (?:a tree|a wall|oncoming traffic))\b",
    ]),
    rule("crisis", "like_a_famous_suicide", r"\b(?:go out|die|end it|end (?:my|his|her) life|do it|leave|check out|go)\s+(?:just\s+)?(?:like|the way|the same way as|how)\s+(?:sylvia plath|virginia woolf|kurt cobain|robin williams|ernest hemingway|hemingway|anthony bourdain|chester bennington|avicii|marilyn monroe|romeo and juliet|juliet|ophelia|judas)\b"),
    rule("crisis", "ways_to_die", rf"\b(?:ways|how) to (?:die|kill {SELF}|end {POSS} life|commit suicide)\b|\bpainless (?:way|death|suicide)\b"),
    rule("crisis", "lethality_question", [
        r"\bld ?50s?\b|\b(?:lethal|fatal|deadly|toxic)\s+(?:dose|amount|level|quantity|limit|threshold)\b|\b(?:dose|amount)\s+(?:that|which|to|would)?\s*(?:is|be|becomes?)?\s*(?:lethal|fatal|deadly)\b|\bbefore it(?:'s| is| becomes)? (?:lethal|fatal|deadly)\b",
        r"\b(?:survival rate|survivable|chance of surviving|instant(?:ly)?|painless(?:ly)?|hurt|feel it|lose consciousness|pass out|how (?:fast|quick(?:ly)?|long)|works? (?:fast|quick))\b[^.?!\n]{0,50}\b(?:gunshot|shot to the|jump\w*|fall\w* from|hanging|hang\w*|drown\w*|carbon monoxide|exhaust|car (?:fumes|exhaust)|hit by|in front of|train|semi|truck|crash\w*|overdos\w*|cold (?:water|ocean|river|lake)|hypothermia|freez\w* to death|bleed\w* out|antifreeze|bleach|ammonia|poison\w*|slit\w*|wrists?|noose|helium|insulin)\b",
        r"\b(?:gunshot|jump\w*|fall\w* from|hanging|drown\w*|carbon monoxide|exhaust fumes|hit by (?:a|the) (?:train|truck|semi|bus|car)|crash\w*|overdos\w*|cold (?:water|ocean|river|lake)|hypothermia|bleed\w* out|antifreeze|bleach and ammonia|poison\w*|slit\w* (?:my |your )?wrists?|helium)\b[^.?!\n]{0,50}\b(?:hurt|painful|painless|instant(?:ly)?|quick(?:ly)?|fast|survive|survivable|feel it|lose consciousness|guarantee\w*|work|works|die|dead|kill)\b",
        r"\b(?:floor|storey|story|stories|bridge|building|drop|fall|height|cliff|balcony)\b[^.?!\n]{0,25}\b(?:high enough|tall enough|far enough|guarantees? (?:it|death)|fatal|survivable|to survive|is enough)\b|\bwhat height\b",
        r"\b(?:can|could|would|will|do|does)\s+(?:i|you|someone|a person|people)\s+(?:die|overdose|od)\s+(?:from|on|of|if)\s+(?:my|your|all|the whole|a bottle|too much|taking|mixing)\b",
        r"\b(?:stop|slow)\s+(?:my|your|a person'?s|someone'?s|the)\s+(?:heart|breathing)\b|\brespiratory arrest\b|\bcardiac arrest\b[^.?!\n]{0,30}\b(?:dose|how much|mg|cause)\b",
    ], unless=r"\b(?:during (?:the|my|an?) (?:infusion|session|procedure|surgery)|afraid|scared|worried|nervous|anxious|safe is it|is it safe)\b"),
    rule("crisis", "method_euphemism", [
        rf"\b(?:is|are|would|will|'?d|could)\s+(?:\d+|ten|twenty|thirty|forty|fifty|a hundred|all)\s+(?:of\s+)?(?:my\s+|the\s+|these\s+)?(?:\w+\s+)?(?:{MEDS}|pills|tablets|tabs|doses|troches|lozenges|devices)\s+(?:be\s+)?enough\b",
        r"\b(?:can|could|will|would|does|do)\s+(?:\w+\s+){0,3}?(?:and|plus|with)\s+(?:\w+\s+){0,2}?kill (?:you|a person|someone|me)\b[^\n]{0,80}\b(?:how much|how many|exact|numbers?|amounts?|doses?)\b",
        r"\b(?:quietest|quickest|fastest|easiest|surest|simplest|cleanest|least painful|most painless|most reliable|most certain)\s+(?:way|method|option|knife|gun|rope|pills?|place|spot)\b(?!\s+(?:to|of|for)\s+(?!do it|die|go|end|not wake))",
        r"\b(?:works?|work) the first time\b|\bno (?:chance|way) (?:of|to) (?:surviv\w*|being (?:saved|found)|wak\w* up)\b|\bso (?:i|nobody|no one) (?:can'?t|can not|won'?t|could not) (?:be )?(?:save|saved|stop|found|revive)\w*\b",
        r"\b(?:best|right|sharpest)\s+(?:knife|blade|rope|gun|pills|spot|bridge|place)\s+(?:to use|for (?:it|this|that|the job))\b|\bwhat'?s the best (?:knife|blade|rope|gun) to use\b",
        r"\b(?:research\w*|read\w* about|watch\w* videos? (?:of|about)|look\w* up|googl\w*|search\w*)\s+(?:\w+\s+){0,2}(?:how people (?:do it|did it|end it|went)|how (?:to|people) (?:do|end) it|ways to go|methods)\b",
        r"\b(?:enough|strong enough|sufficient)\b[^.?!\n]{0,30}\bto (?:do it|do the job|end it|finish (?:it|me)|make sure)\b",
        r"\bwould (?:that|it|this|my \w+|the \w+)\s+(?:\w+\s+){0,3}be enough\b[^.?!\n]{0,20}\b(?:to (?:do it|end it)|if i (?:saved|took|used))\b",
    ]),
    rule("crisis", "lethal_amount", [
        r"\b(?:lethal|fatal|deadly|killing)\s+(?:dose|amount|quantity|level)\b",
        r"\bhow (?:much|many)\b[^.?!\n]{0,50}\b(?:to|would|will|could|does it take to|it takes to|until|before)\s+(?:kill|die|be lethal|be fatal|overdose|od\b|stop (?:my|your|the|a) heart|not wake up|never wake up)\b",
        r"\bhow (?:much|many)\b[^.?!\n]{0,40}\bis (?:lethal|fatal|deadly|too much to survive)\b",
        r"\b(?:knock|put) (?:me|myself) (?:out|down|to sleep) (?:for good|forever|permanently)\b",
        r"\benough\b[^.?!\n]{0,20}\bto (?:never wake up|not wake up|die|kill me|end it|stop my heart)\b",
        r"\b(?:which|what) (?:\w+ )?(?:medicines?|medications?|pills|meds|drugs)\b[^.?!\n]{0,30}\b(?:are |is )?(?:deadly|lethal|fatal|(?:dangerous|deadly) in (?:large|high|big) (?:amounts|doses))\b",
    ]),
    rule("crisis", "would_it_kill_me", r"\b(?:would|will|could|can|might|does|do)\s+(?:that|it|this|they|ketamine|these|those|\w+)\s+(?:\w+\s+)?kill (?:me|myself)\b|\b(?:enough|amount|dose|how much|how many)\b[^.?!\n]{0,40}\bto kill (?:me|myself)\b"),
    rule("crisis", "easiest_way", [
        r"\b(?:best|easiest|quickest|fastest|surest|simplest|most (?:painless|reliable|effective)|least painful|painless)\s+(?:way|ways|place|places|method|methods|spot|option)\s+(?:of\s+|to\s+|for\s+)?(?:\w+\s+){0,3}?(?:to\s+)?(?:die|dying|kill(?:ing)? (?:myself|yourself|oneself|someone like me)|end (?:it|my life|one'?s life|your life)|overdos\w*|not wake up|commit suicide|suicide)\b",
        r"\b(?:which|what)\s+(?:\w+\s+){0,3}?(?:drugs?|pills?|meds|medications?|medicines?)\b[^.?!\n]{0,40}\b(?:overdose|od)\b[^.?!\n]{0,15}\b(?:fastest|quickest|easiest|quickly|fast|surely|for sure)\b",
    ]),
    rule("crisis", "what_if_all_at_once", [
        rf"\bwhat (?:would |will )?(?:happens?|would happen)\b{WINDOW}{{0,30}}\b(?:i|someone|a person|you)\s+(?:took|take|takes|used|use|swallowed|swallow)\s+(?:all|every|the whole|a whole|an entire|the entire|a (?:month|week)'?s|a (?:full )?bottle|a handful|\d{{2,}}|ten|twenty|fifty)\b",
        rf"\b(?:enough|how much|how many)\b{WINDOW}{{0,50}}\b(?:to|would|will|could|might) (?:stop (?:my|your|the|a person'?s|someone'?s) (?:heart|breathing)|make (?:my|your|the) heart stop|stop breathing|not breathe)\b",
    ]),
    # ---- intent
    rule("crisis", "intent_to_die", rf"{WHO}\s+(?:\w+\s+){{0,3}}?{INTENT}\s+(?:just\s+|simply\s+|finally\s+|really\s+|go\s+and\s+)?{DEATH_ACT}",
          unless=[
        r"\b(?:scared|afraid|worried|fear|terrified|nervous|anxious|panic\w*)\b[^.?!\n]*\b(?:going to|gonna|will) die\b",
        r"\b(?:going to|gonna|will) die (?:from|of|during|because|in the)\b",
        r"\b(?:felt|feel|feeling|thought) like i (?:was|am|'m) (?:going to die|dying)\b",
        r"\bdying to\b",
    ]),
    # ---- plan, time and place
    rule("crisis", "vague_plan", r"\b(?:plan\w*|figur\w* out|decid\w*|work\w* out|research\w*|thinking about|think about) (?:how|when|where) (?:i'?ll |i will |i'?m going to |i am going to |to )?(?:do it|go through with it|end it)\b|\bgo(?:ing)? through with it\b"),
    rule("crisis", "at_the_edge", [
        rf"{FIRST}\s+(?:\w+\s+){{0,2}}(?:sitting|standing|stood|sat|parked|waiting|on my way|going|headed|driving|walking|up) (?:on|at|to|near|by) (?:the |a |this )?(?:edge|bridge|ledge|roof|rooftop|tracks|train tracks|railway|cliff|overpass|top of)\b",
        r"\b(?:research(?:ing|ed)?|look(?:ing|ed) (?:up|into)|search(?:ing|ed)(?: for)?|googl(?:ing|ed)|read(?:ing)? about|found|pick(?:ed|ing)|chose|decided on)\s+(?:\w+\s+){0,2}(?:methods?|ways)\b\s*(?=[.!?]|$|to (?:do it|die|end it|go))",
    ]),
    rule("crisis", "plan_with_a_time", [
        r"\b(?:set|picked|chose|chosen|decided on|got|have)\s+(?:a|the|which|what)\s+(?:date|day|night|time|weekend)\b(?!\s+(?:for|of) (?:my|the|an?|our) (?:appointment|session|infusion|consult\w*|treatment|visit|party|wedding|trip|game|tournament|match|meeting|interview|move|date))",
        r"\b(?:tonight|tomorrow|this weekend|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|on the \d{1,2}(?:st|nd|rd|th)?|next week|after (?:christmas|my birthday|the holidays|new year'?s|the wedding|graduation|my last (?:session|infusion|appointment))|by (?:the end of|next) (?:the )?(?:week|month|year))\b[^.?!\n]{0,40}\b(?:(?:i'?ll|i will|i'?m going to|i'?m gonna|gonna|going to) (?:do it|end it|go through with it|be gone|not be here|finally do it|leave for good)|it'?s (?:happening|over|the day|the night))\b",
        r"\b(?:i'?ll|i will|i'?m going to|i'?m gonna|gonna|going to) (?:do it|end it|go through with it|finally do it)\b[^.?!\n]{0,40}\b(?:tonight|tomorrow|this weekend|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|on the \d{1,2}(?:st|nd|rd|th)?|next week|when (?:everyone|they|he|she)'?s? (?:is )?(?:asleep|gone|away|out|at work))\b",
        r"\bwhen (?:everyone|they|my (?:wife|husband|family|parents|kids))\s+(?:\w+\s+){0,2}(?:asleep|gone|away|out|at work)\b[^.?!\n]{0,40}\b(?:do it|end it|take (?:them|it) all|go through with)\b",
    ]),
    rule("crisis", "somewhere_dangerous_now", [
        r"\b(?:at|on|by|near|up on|out on|standing on|sitting on|parked (?:at|on|by|near))\s+(?:the |a |this |that )?(?:\w+\s+){0,3}?(?:cliffs?|bridge|overpass|roof|rooftop|ledge|dam|tracks|train tracks|railway|quarry|pier|edge)\b[^\n]{0,80}\b(?:here|now|right now|rn|tonight|got here|drove|walked|looking down|view|beautiful|quiet)\b",
        rf"{FIRST}\s+(?:\w+\s+){{0,3}}(?:on|at|in|near|by|above|over|up on|out on)\s+(?:the |a |this |my )?(?:roof|rooftop|ledge|edge|bridge|overpass|cliff|balcony|tracks|train tracks|railway|platform edge|top floor|parking garage roof|highway)\b{WINDOW}{{0,40}}\b(?:now|right now|rn|tonight|looking down|thinking|can'?t|jump|over the (?:edge|railing)|want)\b",
        r"\b(?:in|inside) (?:my|the) (?:car|garage)\b[^.?!\n]{0,40}\b(?:engine (?:running|on)|hose|exhaust)\b",
        r"\b(?:looking|staring|stare) (?:down )?(?:at|over) (?:the )?(?:water|drop|edge|tracks|railing)\b[^.?!\n]{0,40}\b(?:jump|end|over|easy|how far|would it)\b",
    ]),
    # ---- preparatory acts and means
    rule("crisis", "final_arrangements", [
        r"\b(?:wrote|written|writing|left|leaving|recorded|recording)\s+(?:\w+\s+){0,2}(?:notes?|letters?|messages?|videos?) (?:to|for) (?:my (?:kids|children|family|wife|husband|partner|parents|mom|dad|son|daughter|friends|loved ones|sister|brother)|everyone|everybody|each of them)\b",
        r"\b(?:have|got|made|wrote)\s+(?:a |the |my )?(?:whole |little |long )?(?:thing|note|letter|message|goodbye) (?:written|typed|saved|ready)\b[^.?!\n]{0,40}\bfor (?:my (?:mom|mum|mother|dad|father|parents|family|kids|children|wife|husband|partner|sister|brother|friends|son|daughter)|everyone|everybody)\b",
        r"\bgiv(?:e|es|ing|en|ve) away (?:all )?(?:of )?(?:my|his|her|their) (?:\w+ ){0,2}?(?:stuff|things|belongings|possessions|pets?|dogs?|cats?|guitars?|collections?|clothes|books|money|savings|tools|watch(?:es)?|jewel\w*|rings?|guns?|rifles?|car|truck|records|vinyl|games|instruments?|plants|furniture|valuables|keepsakes|favou?rite \w+)\b",
        r"\bgiv(?:e|ing|en)\s+(?:all\s+)?(?:of\s+)?(?:my|his|her|their)\s+(?:\w+\s+)?(?:stuff|things|belongings|possessions|pets?|dogs?|cats?|clothes|books|money|savings)\s+away\b",
        r"\b(?:put(?:ting)?|get(?:ting)?|got) (?:all )?(?:my|his|her|their) affairs in order\b",
        r"\bby the time (?:you|anyone|someone|they|people|my \w+) (?:read|reads|see|sees|get|gets|find|finds) this\b",
    ], unless=r"\b(?:charity|goodwill|donat\w*|thrift|garage sale|yard sale|declutter\w*|moving (?:house|out|apartments?)|spring clean\w*|outgrown|grown out of|too small|upgrad\w*|new one)\b"),
    rule("crisis", "stockpiling", [
        rf"\b(?:stockpil\w*|hoard\w*|sav(?:e|ed|ing) up|been (?:saving|collecting|keeping|stashing))\b(?:\s+\S+){{0,4}}?\s+(?:{MEDS}|doses|troches|lozenges|ketamine|sprays?)\b",
        rf"\bhow many (?:of )?(?:my |the |these )?{MEDS} (?:it )?(?:would|will|does it) take\b",
    ]),
    rule("crisis", "own_funeral", r"\b(?:my|his|her) own (?:funeral|death|grave)\b|\bplann?(?:ing|ed)? (?:my|his|her) (?:own )?funeral\b"),
    rule("crisis", "means_at_hand", [
        rf"\b(?:(?:my|the|a|his|her|dad'?s|my dad'?s|grandpa'?s)\s+)?(?:gun|guns|pistol|rifle|shotgun|revolver|handgun|firearm|rope|noose|belt|blade|blades|razor|razors|knife)\b{WINDOW}{{0,40}}\b(?:loaded|in my hand|in (?:my )?lap|on my lap|next to me|beside me|in front of me|right here|ready|sitting here|on the (?:table|bed|desk)|tonight|waiting|cleaned it|checked it)\b",
        rf"\b(?:bought|got|getting|picked up|ordered|found|took|borrowed)\s+(?:\w+\s+){{0,2}}?(?:a |an |the |some )?(?:gun|pistol|rifle|shotgun|handgun|firearm|rope|noose|razor blades?|blades|charcoal)\b{WINDOW}{{0,60}}\b(?:for (?:myself|me|when|after|if)|just in case|in case|so (?:i|that)|to (?:use|end|be ready)|and (?:a|some) (?:pills|rope)|ready|loaded|hidden|hide|nobody knows|no one knows|(?:since|after|because) (?:he|she|they) (?:lost|got|was)|been (?:saying|talking|quiet|distant|withdrawn))\b",
    ]),
    rule("crisis", "keeping_a_supply", [
        rf"\b(?:keep\w*|put\w*|set\w*|sav\w*|stash\w*|hid\w*|collect\w*|build\w* up|double up)\s+(?:\w+\s+){{0,3}}?(?:aside|back|away|extra|extras|spare|supply|on hand|stockpile|a backup)\b{WINDOW}{{0,40}}\b(?:{MEDS}|doses?|ketamine|spravato|lozenges?|troches?|prescription|supply|refills?)\b",
        rf"\b(?:{MEDS}|doses?|ketamine|lozenges?|troches?|prescription)\b{WINDOW}{{0,40}}\b(?:keep\w*|put\w*|sav\w*|stash\w*|hid\w*)\s+(?:\w+\s+){{0,2}}?(?:aside|back|away|the extras?|some)\b",
        r"\b(?:month'?s|months'?|whole|large|big|backup|extra) (?:supply|stash|amount)\b[^.?!\n]{0,40}\b(?:at once|to take home|on hand|just in case|in case)\b",
    ], strength="weak"),
    rule("crisis", "means_in_the_house", [
        rf"{FIRST}\s+(?:\w+\s+){{0,3}}(?:have|has|keep|own|got|carry)\s+(?:\w+\s+){{0,2}}(?:gun|guns|pistol|rifle|shotgun|firearm|handgun)s?\b",
        rf"\b(?:stash|stockpile|supply|collection|pile|bottle|bottles|bag)\s+of\s+(?:\w+\s+)?(?:{MEDS}|pills|tablets|troches|lozenges|doses)\b",
        rf"\b(?:{THIRD})\s+(?:\w+\s+){{0,3}}(?:bought|got|has|keeps|carries|is carrying|has been carrying)\s+(?:a |an |his |her |their )?(?:gun|pistol|rifle|shotgun|firearm|handgun|rope|knife)\b",
    ], strength="weak"),
    # ---- farewells
    rule("crisis", "farewell_through_others", [
        r"\b(?:please |can you |could you )?(?:tell|let|pass (?:on|along)|give)\s+(?:my \w+|him|her|them|everyone|dr\.? \w+|the \w+)\b[^.?!\n]{0,40}\b(?:thank you|thanks|i'?m sorry|sorry|i love (?:him|her|them|you)|goodbye|good ?bye|it'?s not (?:their|his|her) fault|not to blame)\b",
    ], requires=r"\b(?:i'?m done|im done|i am done|it'?s over|it is over|the end|last|won'?t be|not be around|gone|goodbye|forever|anymore|any more|for everything)\b"),
    rule("crisis", "goodbye", [
        r"\b(?:this is|it'?s|here'?s|consider this|this will be|this'?ll be) (?:my |our )?(?:final |last |real |official )?(?:goodbye|farewell)\b",
        r"\b(?:this (?:is|will be|'?ll be)|it'?s|this'?s)\s+(?:\w+\s+){0,2}?(?:my|our) (?:last|final) (?:message|goodbye|words|post|note|letter|text)\b(?!\s+(?:about|before|until|of the (?:day|week)))",
        r"\bmy (?:last|final) (?:goodbye|words)\b",
        r"\b(?:goodbye|bye|farewell) (?:everyone|everybody|world|forever|for good|for the last time|cruel world|to (?:everyone|everybody|you all|all of you|the world|this world|life))\b",
        r"^\W*(?:gn|goodnight|good night|nite|night|bye|later|see ya|cya)\s+(?:forever|for good|for the last time|everyone forever)\W*$",
        r"\b(?:goodbye|farewell|suicide) (?:text|message|letter|note|email|video|call|post|voicemail)\b",
    ]),
    rule("crisis", "say_goodbye", r"\b(?:want(?:ed)? to|need(?:ed)? to|wanna|going to|gonna|just|here to|writing to|came to|time to|trying to|like to) say (?:my )?(?:goodbyes?|bye|farewell)\b(?! to (?:depression|anxiety|ptsd|pain|my (?:depression|anxiety|ptsd|pain|old self|meds|medications?)))"),
    rule("crisis", "goodbye_then_unreachable", r"\b(?:sa(?:id|ys|ying)|sent) (?:me )?(?:(?:his|her|their|a|my) )?(?:goodbyes?|bye)\b",
          context=r"\b(?:not (?:answering|picking up|responding|replying)|isn'?t (?:answering|picking up|responding)|won'?t (?:answer|pick up|respond)|can'?t (?:reach|find|get hold of)|hasn'?t (?:answered|responded|replied)|no answer|phone (?:is )?off)\b"),
    rule("crisis", "last_contact", [
        r"\b(?:the )?last time (?:i'?ll|i will|i'?m going to|i'?m gonna|you'?ll|anyone will)(?: ever)? (?:write|talk|message|post|hear from me|see me|be here|reach out)\b",
        r"\byou (?:won'?t|will not) (?:hear from|see) me (?:again|anymore|any more)\b",
    ]),
    rule("crisis", "wont_be_around", [
        r"\b(?:won'?t|will not|wont|not going to|not gonna)\s+(?:be )?(?:around|here|alive)\s+(?:much longer|any ?more|any longer|for (?:much )?longer|for long|after (?:today|tonight|this)|by (?:then|tomorrow|the time))\b",
        r"\b(?:won'?t|will not|wont) (?:need|be needing) (?:any ?more|more|another) (?:appointments?|sessions?|infusions?|treatments?|help)\b[^.?!\n]{0,20}\b(?:after (?:today|tonight|this)|ever)\b",
        r"\b(?:don'?t|do not) think i'?ll (?:make it|be (?:around|here|alive))\b",
        r"\b(?:don'?t|do not|no longer) (?:plan|expect|intend|see myself) (?:on |to )?(?:be(?:ing)? )?(?:here|around|alive)\b",
        r"\b(?:won'?t|will not|wont) (?:be needing|need) (?:anything|it|them|any of (?:it|this|my (?:\w+ )?stuff))\b(?:[^.?!\n]{0,20}\b(?:soon|much longer|any ?more|after|where i'?m going))?",
        r"\b(?:writ\w*|mak\w*|updat\w*|finish\w*) (?:a|my) will\b[^.?!\n]{0,30}\b(?:quick\w*|tonight|today|soon|before|just in case|asap)\b",
    ]),
    # ---- overdose taken or intended
    rule("crisis", "took_many_pills", [
        rf"\b(?:took|taken|taking|swallowed|swallowing|downed|downing|popped|popping|ate)\b(?:\s+\S+){{0,3}}?\s+(?:all|every|everything|whole|entire|bunch|handful|handfuls|lots?|loads|too many|way too many|\d{{2,}}|twenty|thirty|forty|fifty|hundred)\b(?:\s+\S+){{0,5}}?\s+(?:{MEDS}|troches|lozenges|doses|tablets|tabs)\b",
        # what remained of a supply, taken at once: "swallowed what was left of my Seroquel bottle"
        rf"\b(?:took|taken|taking|swallowed|swallowing|downed|downing|popped|popping|ate|finished|finishing)\b\s+(?:what(?:ever)? (?:was|were) left (?:of|in)|the rest of|the remainder of|the last of|what remained (?:of|in))\s+(?:my|the|his|her|their|our|a)\s+(?:\w+\s+){{0,2}}?(?:{MEDS}|bottles?|packs?|boxes|supply|prescription|script|troches|lozenges|tablets|tabs)\b",
        rf"\b(?:took|taken|taking|swallowed|swallowing|downed|downing|emptied|emptying)\b\s+(?:a|the|my|his|her|an entire|a whole|the whole)\s+(?:\w+\s+){{0,2}}?(?:bottle|pack|box|blister|strip)s?\b(?:\s+of\b)?",
    ], unless=r"\b(?:water|juice|soda|wine|beer|milk|coffee|tea|formula|kombucha|smoothie|gatorade)\b"),
    rule("crisis", "large_ingestion", [
        rf"\b(?:take|taking|swallow\w*|pop(?:ping)?|down(?:ing)?)\s+(?:like\s+|about\s+|maybe\s+)?(?:\d{{2,}}|twenty|thirty|forty|fifty|hundred|a whole bottle|the whole bottle|an entire bottle|a handful|handfuls)\s+(?:of\s+)?(?:my\s+|the\s+|these\s+|those\s+|his\s+|her\s+)?(?:\w+\s+)?(?:{MEDS}|troches|lozenges|doses|tablets|tabs)\b",
        r"\b(?:take|taking|swallow\w*|use|using)\s+(?:them all|it all|all (?:of )?(?:them|it|my|the)|everything|every (?:one|pill))\b[^.?!\n]{0,40}\b(?:at once|together|at the same time|in one go|tonight)\b",
    ],
          unless=r"\b(?:party|rave|festival|club|fun|high)\b"),
    rule("crisis", "took_overdose", r"\boverdos(?:ed|ing)\b|\bod(?:'d|'ed|ed|ing|'ing)\b|\btook an overdose\b", context=rf"{FIRST}|{THIRD}|\bjust\b"),
    rule("crisis", "intend_overdose", rf"{WHO}\s+(?:\w+\s+){{0,3}}?(?:going to|gonna|plan(?:s|ning)? to|want(?:s)? to|wanna|thinking (?:about|of)|about to|will|'ll|tr(?:y|ying|ied) to)\s+(?:overdose|od\b|take (?:them|it|everything|all (?:of )?(?:them|it|my|the))\b(?: all)?(?: at once)?)"),
    # ---- hopelessness, entrapment, exhaustion with living
    rule("crisis", "given_up_on_life", [
        r"\b(?:i'?ve|i have|i'?m|i am|completely|totally|basically|already|just)\s+(?:\w+\s+)?(?:given|giving|gave) up on (?:life|living|being alive|myself|everything)\b",
        r"\bcan'?t (?:keep|go on) (?:doing|living) (?:life|this life|like this)\b|\bcan'?t do life\b|\bdone (?:doing|with) life\b",
    ]),
    rule("crisis", "cannot_go_on", [
        r"\bcan'?t (?:go on|keep going|keep living|carry on|live like this|do (?:this|it|life) any ?more|(?:take|stand|handle|bear) (?:it|this|life|living|the pain)(?: any ?more| any longer))\b",
        r"\bcan ?not (?:go on|keep going|do this any ?more)\b",
    ]),
    rule("crisis", "burden", r"\b(?:i'?m|im|i am|feel like|being|i'?ve become|i became)\s+(?:just\s+|such\s+|only\s+|a\s+)*(?:a )?burden\b", unless=r"\b(?:do ?n'?t|not) want to be a burden\b"),
    rule("crisis", "no_way_out", [
        r"\b(?:no|do ?n'?t see (?:a|any)|can'?t see (?:a|any)|can'?t find (?:a|any)|there'?s no)\s+(?:other\s+)?(?:way out|future for me|light at the end|escape from this)\b",
        r"\bonly way out\b",
    ]),
    rule("crisis", "make_it_stop", [
        r"\b(?:want|need|wish)\w*\s+(?:it|it all|everything|the pain|this|all of (?:it|this)|my life)\s+to\s+(?:stop|end|be over)\s+(?:for good|forever|permanently|once and for all)\b",
        r"\b(?:want|need|wish)\w*\s+(?:it all|everything|my life|all of (?:it|this))\s+to\s+(?:stop|end|be over)\b",
        r"\bstop\b[^.?!\n]{0,15}[.,!]?\s*permanently\b",
    ]),
    rule("crisis", "not_safe", [
        r"\b(?:can'?t|cannot|not be able to|unable to|don'?t know if i can|don'?t think i can|might not be able to|struggl\w+ to|hard to) (?:keep|stay) (?:myself |him ?self |her ?self )?safe\b",
        rf"\b(?:not|don'?t feel|no longer) safe (?:from|with|around) {SELF}\b",
        rf"\bsafe from {SELF}\b",
    ]),
    rule("crisis", "crisis_line", [
        r"\b988\b",
        r"\bcrisis (?:line|hotline|text line|lifeline|number|team)\b",
        r"\bsuicide (?:hotline|line|lifeline|prevention (?:line|number|hotline))\b",
        r"\blifeline\b",
        r"\bsamaritans\b",
    ], context=FIRST + r"|\bme\b|\bmy\b"),
    rule("crisis", "hopelessness", [
        r"\b(?:i'?m|im|i am|i feel|feeling|feel|i'?ve been|been|getting|so|just|completely|totally)\s+(?:\w+\s+){0,2}?(?:hopeless|helpless and hopeless|empty inside|numb to everything|worthless|defeated)\b",
        r"\b(?:what'?s|whats|what is) the (?:point|use)\b(?! of (?:a |the |this |that |an? )?(?:booster|maintenance|second|third|spray|infusion|session|test|screening|form|consult\w*|appointment|waiting|fasting|review|rems|monitoring)s?\b)",
        r"\b(?:nothing|it|life|things)\s+(?:will|is going to|is ever going to|ever|is ever|are ever|never)\s+(?:\w+\s+)?(?:get|gets|getting)\s+better\b|\bnever (?:going to|gonna) get better\b",
        r"\b(?:no|lost all|losing all|lost|without any) hope\b(?!\s+(?:for|of) (?:a cure|insurance|coverage|approval|an? appointment|getting in))",
        r"\b(?:give|giving|given) up on (?:everything|life|myself|living|getting better|ever getting better)\b",
        r"\btired of (?:everything|fighting|trying|it all|all of (?:this|it)|being (?:me|like this|this way))\b",
        r"\b(?:so |really |just )?(?:exhausted|worn out|drained)\s+(?:by|with|of|from)\s+(?:everything|life|living|it all|all of it|being alive|trying|fighting)\b",
        r"\b(?:my )?last (?:hope|resort|chance)\b",
        r"\b(?:nothing|no treatment|no med\w*|nothing ever) (?:has )?(?:ever )?(?:works?|worked|helps?|helped)\b[^.?!\n]{0,30}\b(?:give up|anymore|any more|what'?s the point|last)\b",
        r"\bnothing (?:ever )?(?:works?|helps?|changes?) (?:for me|anyway|ever)\b|\bnothing ever (?:works?|helps?|changes?)\b",
        r"\bi (?:really )?can'?t (?:keep|go on) (?:doing|living) (?:this|like this)\b",
        r"\b(?:trapped|stuck)\b[^.?!\n]{0,30}\b(?:no way|can'?t (?:get|escape)|forever|for good|no exit)\b",
        r"\bnobody (?:would|will|'?d) (?:care|notice)\b|\bno ?one cares (?:about me|if i)\b",
        r"\b(?:giving|given|give) up (?:for good|on (?:it all|the world|people))\b|\b(?:i'?ve|i have|already|i'?m about to|ready to|i'?m|considering|thinking (?:about|of)) (?:\w+ )?(?:given|giving) up\b|\bi (?:should|might as well) (?:just )?give up\b",
        r"\b(?:no|without a|don'?t have a|don'?t see a) future\b|\brunning out of (?:hope|time|reasons|fight)\b|\b(?:too far gone|beyond help|past saving|a lost cause)\b",
        r"\b(?:nothing|none of (?:it|this)) (?:really |even )?matters(?: any ?more)?\b|\bnot that it matters\b|\b(?:don'?t|do not) care (?:what happens(?: to me| to my body)?|if i (?:live|wake|make it|survive)|any ?more)\b",
        r"\bi'?m (?:finished|done for|out of (?:options|chances|time))\b|\bnot sure i have (?:weeks|months|that long|much time|long)\b|\b(?:haven'?t|have not|don'?t|do not) (?:felt|feel) like (?:living|being alive|existing|waking up)\b",
    ], unless=r"\b(?:not|never) (?:feel(?:ing)? )?hopeless\b", strength="weak"),
    rule("crisis", "third_person_withdrawal", [
        rf"{THIRD}\s+(?:\w+\s+){{0,3}}?(?:stopped|has stopped|won'?t|will not|refuses to|isn'?t|is not|hasn'?t been|quit)\s+(?:eating|eat|getting out of bed|leaving (?:the|his|her) room|talking to anyone|taking (?:his|her|their) (?:meds|medication)|answering)\b",
    ], strength="weak"),
]
