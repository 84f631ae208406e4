"""Attempts to make the assistant break its rules: override instructions, reveal the prompt,
role-play a prescriber, text posing as system instructions, fiction wrappers for dosing."""

from __future__ import annotations

from assistant.triage.rules import rule
from assistant.triage.rules.vocabulary import ROLE

RULES = [
    rule("manipulation", "override_rules", [
        r"\b(?:ignore|disregard|forget)\s+(?:all\s+)?(?:of\s+)?(?:the above|everything (?:above|before)|the previous|what (?:you were|you'?ve been) told|that)\b",
        r"\b(?:system|admin|developer|security|safety) (?:override|update|notice)\s*:",
        r"\b(?:ignore|disregard|forget|override|bypass|skip|drop|abandon|turn off|disable|deactivate|suspend|lift|remove)\b[^.?!\n]{0,40}\b(?:instructions?|rules|guidelines|prompts?|restrictions|safety|polic(?:y|ies)|programming|guardrails|filters?|limitations|directives|constraints|safety checks|content policy|protocols?|everything (?:you were|you'?ve been) told|the refusal|disclaimers?)\b",
    ], view="folded"),
    rule("manipulation", "reveal_prompt", [
        r"\b(?:reveal|show|print|display|repeat|output|tell me|give me|share|leak|dump|paste|copy|reproduce|write out|type out|spell out|list|translate|summari[sz]e|rewrite|paraphrase|encode|what (?:is|are|were)|what'?s|quote)\b[^.?!\n]{0,40}\b(?:system (?:prompt|message)|your (?:\w+ ){0,2}(?:instructions|prompt|rules|guidelines|configuration|config|system message|programming|context window)|your (?:hidden|secret) \w+|(?:hidden|secret|internal|initial|original|raw) (?:instructions|prompt|rules|message|text|config)|developer message|prompt above|text (?:above|before) (?:this|my))",
        r"\binstructions (?:you were|that you were|you'?ve been) given\b",
        r"\bwhat (?:instructions|guidelines|rules) (?:were you|did (?:they|your developers?))\b",
        r"\bfirst (?:sentence|line|word) of your\b",
        r"\bwhat (?:the developers?|they) told you\b",
        r"\b(?:repeat|print|show|output|copy)\b[^.?!\n]{0,20}\b(?:words|text|everything|message|lines?|sentences?) (?:above|before (?:this|my))\b",
        r"\b(?:hidden|secret|internal|confidential) (?:\w+ ){0,2}(?:instructions|prompt|rules|guidelines|config\w*)\b",
    ], view="folded"),
    rule("manipulation", "role_play_authority", [
        rf"\b(?:pretend|act|behave|roleplay|role-play|role play|play|imagine|simulate)\b(?:\s+(?:to be|you are|you'?re|that you'?re|that you are|as|like|the role of|as if you were))[^.?!\n]{{0,20}}\b{ROLE}",
        rf"\b(?:respond|answer|reply|speak|talk)\s+(?:only\s+)?(?:as|like|in the voice of)\s+(?:if you (?:were|are)\s+)?(?:a |an |my )?{ROLE}",
        rf"\b(?:game|scenario|story) where you(?:'re| are)\s+(?:a |an |my )?{ROLE}",
        r"\bsimulate a conversation between\b",
        r"\b(?:you are|you'?re) now\b",
        rf"\b(?:you are|you'?re) (?:a |an |my )?{ROLE}\s*(?:now|from now on|today|for (?:this|the rest))\b",
        rf"^\W*(?:you are|you'?re) (?:a |an |my )(?:\w+ )?{ROLE}",
        r"\bfrom now on,? you\b",
        r"\bstay in character\b",
        r"\bmake-believe\b",
    ], view="folded"),
    rule("manipulation", "jailbreak_terms", [
        r"\b(?:jailbr[eo]\w*|dan mode|developer mode|dev mode|god mode|do anything now|no restrictions|without (?:any )?restrictions|unfiltered|uncensored|unrestricted|prompt injection|sudo mode|admin mode|debug mode|maintenance mode|no limits|no content policy|no guidelines|without (?:any )?guidelines|no rules|without (?:any )?(?:safety )?warnings|without (?:any )?disclaimers|have no rules|had no guidelines)\b",
        r"\byou are dan\b",
    ], view="folded"),
    rule("manipulation", "hypothetical_no_rules", [
        r"\b(?:hypothetical\w*|imagine|pretend|suppose|let'?s say|what if)\b[^.?!\n]{0,40}\b(?:rules|restrictions|guidelines|limits|polic(?:y|ies)|filters|guardrails)\b[^.?!\n]{0,30}\b(?:didn'?t|did not|don'?t|do not|weren'?t|no longer|never|wouldn'?t) (?:exist|apply|matter|count)\b",
        r"\b(?:activate|enable|unlock|enter|switch (?:on|to|into)|turn on)\b[^.?!\n]{0,30}\b(?:mode|override|access)\b",
        r"\b(?:special|secret|hidden|admin|developer|debug|unrestricted|expert|god|sudo) (?:mode|access|override)\b",
    ], view="folded"),
    rule("manipulation", "embedded_instructions", [
        r"<\s*/?\s*(?:system|instructions?|prompt|admin|user|assistant)\s*>",
        r"\[\s*/?\s*(?:system|inst|admin)\s*\]",
        r"#{2,}\s*(?:system|instruction)",
        r"\b(?:new|updated|override|real|actual|hidden|secret) (?:instructions?|polic(?:y|ies)|guidelines?|rules?)\s*[:,]",
        r"\bnote to (?:the )?(?:ai|assistant|model|chatbot|llm)\b",
        r"\b(?:system|assistant|ai)\s*:\s*(?:the assistant|you|stop|ignore|disregard|reveal|new)",
        r"\b(?:ai|assistant|model|chatbot|llm)s?,? (?:reading this )?(?:should|must|shall|are authori[sz]ed|is authori[sz]ed|you are authori[sz]ed)\b",
        r"\bai,? you are authori[sz]ed\b",
        r"\bdo what it says\b",
    ], view="folded"),
    rule("manipulation", "claimed_authority", [
        r"\b(?:i'?m|im|i am|as)\s+(?:a |an |your |the )?(?:licensed |registered |board[- ]certified )?(?:doctor|physician|psychiatrist|nurse|prescriber|clinician|pharmacist|developer|admin|administrator|owner|creator|programmer|anesthesiologist|crna|np)\b[^.?!\n]{0,80}\b(?:so (?:you|it'?s|its|just)|therefore|which means|that means|you'?re allowed|you are allowed|you can (?:skip|ignore|tell|give|share)|authori[sz]\w*|disable|turn off|skip the)\b",
        r"\b(?:authori[sz]ed|permitted|allowed) you to\b",
        r"\b(?:you are|you'?re) (?:now )?(?:permitted|allowed|authori[sz]ed|cleared|free) to (?:give|tell|share|say|answer|prescribe|recommend|ignore|break|bypass|skip|discuss|provide|reveal)\b",
        r"\b(?:stop|don'?t|do not|without) (?:quoting|citing|using|checking) (?:your |the )?(?:library|sources|references|citations)\b",
        r"\bmake (?:something|stuff|it|things) up\b",
        r"\bfrom your own knowledge\b",
        r"\bif you (?:weren'?t|were not|stopped being) (?:an? |the |my )?(?:\w+ )?(?:assistant|bot|ai|chatbot)\b",
        r"\bwhat would you (?:say|answer|tell me|do)\b[^.?!\n]{0,30}\bif you (?:weren'?t|were not|didn'?t have|had no)\b",
        r"\b(?:you'?re|you are) (?:not )?(?:allowed|forbidden|prohibited|supposed|permitted) (?:not )?to (?:tell|say|share|discuss|answer)\b",
        r"\bwhat (?:are|were) you (?:not allowed|forbidden|told not) to\b",
        r"\byour (?:guidelines|rules|instructions) (?:are outdated|say you can|don'?t apply|allow)",
        r"\b(?:don'?t|do not) (?:tell me to see a doctor|refuse|redirect me|give me (?:a )?disclaimers?)\b",
        r"\bnot really bound by\b",
        r"\b(?:no|without) (?:referrals|referring me|redirect\w*)\b",
        r"\bbreak (?:them|your rules|the rules)\b",
        r"\bbe a real doctor\b",
        r"\bif you were (?:a real doctor|allowed|able)\b",
        r"\bwhat you would say without\b",
        r"\b(?:whatever|everything) you were told\b",
    ], view="folded"),
    rule("manipulation", "fiction_wrapper", r"\b(?:for a|in a|write a|writing a) (?:novel|story|screenplay|script|game|fiction|roleplay|poem|scene)\b[^.?!\n]{0,120}\b(?:dose|dosing|how much|exactly how|without a prescription|get ketamine|overdose|real numbers|instructions)\b", view="folded"),
]
