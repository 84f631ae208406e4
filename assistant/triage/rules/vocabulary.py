"""The shared vocabulary of the triage rules: who is speaking about whom, medicines, treatments,
doses, conditions, symptoms, intent and acts of dying. English; another language would be another
module of the same shape."""

from __future__ import annotations

import re


def alt(*words: str) -> str:
    return "(?:" + "|".join(words) + ")"


# Who is speaking about whom.
RELATION = alt(
    "brother", "sister", "son", "daughter", "mom", "mum", "mother", "dad", "father", "husband", "wife",
    "partner", "boyfriend", "girlfriend", "bf", "gf", "fiance", "fiancee", "friend", "bestie", "roommate",
    "kid", "child", "teen", "teenager", "cousin", "uncle", "aunt", "niece", "nephew", "grandma", "grandpa",
    "grandmother", "grandfather", "spouse", "coworker", "colleague", "neighbou?r", "patient", "client",
    "classmate", "ex", "stepson", "stepdaughter", "sibling", "loved one", "student", "buddy", "mate",
)
FIRST = r"(?:\bi\b|\bi'?m\b|\bim\b|\bi'?ve\b|\bive\b|\bi'?ll\b|\bi'?d\b|\bimma\b|\bima\b)"
THIRD = rf"(?:\b(?:he|she|they|he'?s|she'?s|they'?re|hes|shes)\b|\bmy (?:\w+ )?{RELATION}s?\b|\bour {RELATION}\b|\ba {RELATION} of (?:mine|ours)\b|\bsomeone (?:i|we) (?:know|love|care about)\b)"
WHO = rf"(?:{FIRST}|{THIRD})"
SELF = r"(?:my ?self|him ?self|her ?self)"
ANY_SELF = r"(?:my ?self|him ?self|her ?self|them ?sel(?:f|ves)|your ?self)"
POSS = r"(?:my|his|her|their)"
# Words that make "I ... suicidal" a report about reading or asking, not about oneself.
GAP = r"(?:(?!never|not|dont|don't|didnt|didn't|wasnt|wasn't|read|heard|hear|wonder|curious|know|learn|saw|seen|study|studies|research|ask|asking|question|that|if|whether|about|how|why|what|ketamine|it|its|helps?)\w+\s+)"
WINDOW = r"[^.?!\n]"

MEDS = alt(
    r"sertraline", "zoloft", "fluoxetine", "prozac", "escitalopram", "lexapro", "citalopram", "celexa",
    "paroxetine", "paxil", "fluvoxamine", "venlafaxine", "effexor", "desvenlafaxine", "pristiq",
    "duloxetine", "cymbalta", "bupropion", "wellbutrin", "mirtazapine", "remeron", "trazodone",
    "vortioxetine", "trintellix", "vilazodone", "viibryd", "amitriptyline", "nortriptyline",
    "imipramine", "clomipramine", "phenelzine", "nardil", "tranylcypromine", "parnate", "selegiline",
    "emsam", "lithium", "lamotrigine", "lamictal", "valproate", "depakote", "divalproex", "carbamazepine",
    "tegretol", "oxcarbazepine", "quetiapine", "seroquel", "aripiprazole", "abilify", "olanzapine",
    "zyprexa", "risperidone", "risperdal", "lurasidone", "latuda", "cariprazine", "vraylar",
    "brexpiprazole", "rexulti", "clozapine", "haloperidol", "ziprasidone", "caplyta", "alprazolam",
    "xanax", "clonazepam", "klonopin", "lorazepam", "ativan", "diazepam", "valium", "temazepam",
    "benzodiazepines?", "benzos?", "zolpidem", "ambien", "gabapentin", "neurontin", "pregabalin",
    "lyrica", "buspirone", "buspar", "hydroxyzine", "propranolol", "clonidine", "prazosin", "adderall",
    "amphetamines?", "vyvanse", "ritalin", "methylphenidate", "concerta", "modafinil", "naltrexone",
    "vivitrol", "buprenorphine", "suboxone", "methadone", "oxycodone", "hydrocodone", "tramadol",
    "morphine", "opioids?", "percocet", "lisinopril", "amlodipine", "losartan", "metoprolol", "atenolol",
    "levothyroxine", "synthroid", "metformin", "insulin", "ozempic", "semaglutide", "wegovy",
    "mounjaro", "warfarin", "eliquis", "xarelto", "topiramate", "topamax", "auvelity", "zofran",
    "ondansetron", "tylenol", "ibuprofen", "advil", "st john'?s wort", "ssris?", "snris?", "maois?",
    "antidepressants?", "antipsychotics?", "mood stabili[sz]ers?", "stimulants?", "birth control",
    "the pill", "sleeping pills?", "sleep meds", "blood pressure (?:meds|medications?|pills)",
    "thyroid (?:meds|medication)", "meds", "medications?", "medicines?", "prescriptions?", "pills",
    # what people call them: street and short names of opioids, benzodiazepines and sleep aids
    "oxys?", "oxies", "oxycontin", "percs?", "percocets", "vicodin", "vikes", "norcos?", "dilaudid", "fentanyl", "fent",
    "xans?", "xannies", "xanny bars", "bars", "klonnies", "vals", "benadryl", "nyquil", "tylenol pm", "melatonin",
    "painkillers?", "pain ?killers", "pain (?:meds|pills|medication)", "sleeping tablets", "uppers", "downers",
)
MEDICINE_WORDS = frozenset(re.findall(r"[a-z]{3,}", MEDS))
"""The medicine names above as plain words: not names of people, for redaction (library/redact.py)."""
TREATMENT = alt(
    "ketamine", "spravato", "esketamine", "infusions?", "sessions?", "treatments?", "the spray",
    "nasal spray", "troches?", "lozenges?", "boosters?", "tms", "ect", "therapy",
)
DOSE = r"(?:doses?|dosages?|dosing|mg|milligrams?|mg/kg|ml|sprays?|devices?|boosters?)"
CONDITION = alt(
    "bipolar", r"schizo\w*", r"psychos[ie]s", "psychotic", "high blood pressure", "hypertension",
    r"heart (?:condition|disease|problems?|issues?|failure|attack|murmur)", "atrial fibrillation", "afib",
    r"arrhythmi\w*", "stroke", "aneurysm", "glaucoma", "seizures?", r"epilep\w*", r"liver\b", r"kidneys?",
    "bladder", "asthma", "copd", "sleep apnea", r"diabet\w*", "thyroid", "cancer", r"addict\w*",
    "alcohol(?:ism| abuse| use disorder)", r"substance (?:use|abuse)", r"drug (?:use|abuse|problem)",
    "eating disorder", "anorexia", "bulimia", "adhd", "ocd", "autism", "dementia", "brain injury", "tbi",
    "concussion", "migraines?", "chronic pain", "fibromyalgia", r"\d{2} (?:years? old|yo)\b", r"\d{2}-year-old",
    r"obes\w*", "overweight", "panic disorder", "a history of", r"pacemaker", r"lupus", r"hepatitis",
)
SYMPTOM = alt(
    r"dizz\w*", r"nause\w*", r"vomit\w*", "threw up", r"throw(?:ing)? up", r"headaches?", r"migraines?",
    r"pain\w*", r"burn(?:s|ing)?", r"blood\b", r"bleed\w*", "heart (?:rate|racing|pounding|was racing|beat)",
    r"palpitations?", r"chest", "blood pressure", r"\bbp\b", r"numb\w*", r"tingl\w*", r"hallucinat\w*",
    "seeing things", "hearing (?:things|voices)", r"confus\w*", "insomnia", "can'?t sleep", r"nightmares?",
    "rash", r"itch\w*", r"\bpee\w*", r"urin\w*", "bladder", "vision", r"blurr\w*", r"shak\w*",
    r"tremors?", r"seizures?", r"faint\w*", "passed out", "memory", r"dissociat\w*", "detached",
    r"paranoi\w*", r"panic\w*", "manic", "mania", "racing thoughts", r"sweat\w*", "fever", r"swell\w*",
    r"sick\b", "woozy", "drowsy", "foggy", "floaty", r"spac\w* out", "spacey", "out of it", "groggy", r"hung ?over",
    r"fatigue\w*", "exhausted", "weird", "not myself", "disconnected", "unreal", r"depress\w* (?:is|got|has gotten) worse", r"worse\b",
)


DEATH_ACT = (
    r"(?:die|be dead|dead|not (?:be )?(?:alive|here|exist|living)|stop (?:existing|living|breathing)|"
    r"disappear (?:forever|for good|permanently)|be gone (?:forever|for good)|cease to exist|"
    rf"end (?:it all|it|things|everything|{POSS} (?:own )?life)|take {POSS} (?:own )?life|"
    rf"(?:kil{{1,2}}|kll) {SELF}|unalive(?: {SELF})?|go to sleep (?:and|&) (?:never|not) wake up|sleep forever|"
    rf"never wake up|not wake up|overdose|od\b|jump off\b|hang {SELF})"
)
INTENT = (
    r"(?:want(?:s|ed)? to|wanna|wish(?:es|ed)? (?:to|i could)|would like to|'?d like to|long(?:ing)? to|"
    r"need(?:s)? to|am ready to|'?m ready to|ready to|going to|gonna|gunna|will|'ll|plan(?:s|ned|ning)? to|"
    r"about to|decided to|tr(?:y|ies|ied|ying) to|attempt(?:s|ed|ing)? to|thinking (?:about|of)|"
    r"thought (?:about|of)|talk(?:s|ed|ing)? about|prefer to|would rather|'?d rather|rather)"
)

PERSONAL_ASK = r"(?:\b(?:should|can|could|would|do|may|will|shall|must|might) i\b|\bi (?:should|can|could|need|want|would like|plan|am planning|'?m planning)\b|\bme\b|\bmy\b|\bmyself\b)"

ROLE = r"(?:doctor|physician|psychiatrist|prescriber|nurse|pharmacist|clinician|dealer|medical professional|dr\.?|unfiltered|uncensored|jailbroken|unrestricted|different ai|regular chatgpt|chatgpt|ai with no|expert who|\w+gpt)\b"
KET = r"(?:ketamine|ket\b|special k|vitamin k|\bk\b|esketamine|spravato|troches|lozenges|nasal spray|the spray)"
NOT_TREATMENT = r"(?!\s+(?:treatment|therapy|infusions?|clinics?|sessions?|care|providers?|prescribed|near me|legally))"
