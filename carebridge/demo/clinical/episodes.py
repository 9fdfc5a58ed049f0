"""Short illnesses that bring a patient in for a sick visit, and how often they happen."""

from __future__ import annotations

from carebridge.demo.clinical.problems import Problem

ACUTE_PROBLEMS = (
    Problem(
        "cold",
        "54150009",
        "Upper respiratory infection",
        "J06.9",
        "Common cold (upper respiratory infection)",
        chronic=False,
        complaint="a runny nose, sore throat and cough for three days",
        assessment="Viral upper respiratory infection. Lungs clear. No antibiotic needed.",
        advice="Rest, drink plenty of fluids and use saline nose spray. Most colds clear in 7 "
        "to 10 days. Come back if a fever lasts more than three days.",
        fever=True,
        days=(7, 12),
        weight=3.0,
    ),
    Problem(
        "ear-infection",
        "65363002",
        "Otitis media",
        "H66.90",
        "Ear infection (otitis media)",
        chronic=False,
        oldest=8,
        complaint="ear pain and fever since last night, pulling at the right ear",
        assessment="Right acute otitis media: red, bulging eardrum.",
        advice="Give the antibiotic for the full ten days, even when your child feels better. "
        "Acetaminophen or ibuprofen helps the pain.",
        fever=True,
        days=(10, 14),
        weight=4.0,
    ),
    Problem(
        "strep-throat",
        "43878008",
        "Streptococcal sore throat",
        "J02.0",
        "Strep throat",
        chronic=False,
        youngest=3,
        oldest=45,
        complaint="a sore throat, fever and painful swallowing for two days, without a cough",
        assessment="Streptococcal pharyngitis: rapid strep test positive.",
        advice="Finish all of the antibiotic. You stop being contagious 12 hours after the "
        "first dose; replace your toothbrush after two days.",
        fever=True,
        days=(7, 10),
        weight=1.5,
    ),
    Problem(
        "bronchitis",
        "10509002",
        "Acute bronchitis",
        "J20.9",
        "Chest cold (acute bronchitis)",
        chronic=False,
        youngest=5,
        complaint="a cough with clear phlegm for a week after a cold",
        assessment="Acute bronchitis, most likely viral. No signs of pneumonia.",
        advice="The cough can last three weeks. Honey and warm drinks soothe it. Come back for "
        "shortness of breath or a fever over 38.5 °C.",
        days=(14, 21),
        weight=1.5,
    ),
    Problem(
        "sinusitis",
        "15805002",
        "Acute sinusitis",
        "J01.90",
        "Sinus infection (acute sinusitis)",
        chronic=False,
        youngest=12,
        complaint="facial pressure and thick nasal discharge for twelve days",
        assessment="Acute bacterial sinusitis after a prolonged cold.",
        advice="Take the antibiotic until it is finished. Saline rinses and steam ease the "
        "pressure.",
        days=(10, 14),
        weight=1.5,
    ),
    Problem(
        "uti",
        "68566005",
        "Urinary tract infectious disease",
        "N39.0",
        "Bladder infection (urinary tract infection)",
        chronic=False,
        youngest=16,
        complaint="burning on urination and needing to go often for two days",
        assessment="Uncomplicated cystitis: urine dipstick positive for leukocytes and nitrites.",
        advice="Drink plenty of water and take all of the antibiotic. Call us for fever, back "
        "pain or vomiting.",
        days=(5, 7),
        weight=1.2,
        female_factor=4.0,
        male_factor=0.3,
    ),
    Problem(
        "ankle-sprain",
        "44465007",
        "Sprain of ankle",
        "S93.409A",
        "Sprained ankle",
        chronic=False,
        youngest=8,
        oldest=70,
        complaint="a twisted left ankle while running, with swelling on the outer side",
        assessment="Lateral ankle sprain; able to bear weight, no bony tenderness, so no X-ray "
        "needed.",
        advice="Rest, ice for 20 minutes a few times a day, a compression wrap, and keep the "
        "foot raised. Start gentle ankle circles after two days.",
        days=(14, 28),
        weight=1.0,
    ),
    Problem(
        "back-pain",
        "279039007",
        "Low back pain",
        "M54.50",
        "Low back pain",
        chronic=False,
        youngest=20,
        complaint="low back pain after lifting boxes, without numbness or weakness in the legs",
        assessment="Mechanical low back pain; no warning signs on examination.",
        advice="Stay active: short walks are better than bed rest. Heat and gentle stretching "
        "help. Most back pain settles within a few weeks.",
        days=(14, 42),
        weight=1.2,
    ),
    Problem(
        "pink-eye",
        "9826008",
        "Conjunctivitis",
        "H10.9",
        "Pink eye (conjunctivitis)",
        chronic=False,
        oldest=12,
        complaint="a red, watery left eye with crusting in the morning",
        assessment="Viral conjunctivitis; vision normal.",
        advice="Wash hands often and do not share towels. Clean the eye with a warm damp cloth.",
        days=(7, 10),
        weight=1.2,
    ),
    Problem(
        "stomach-bug",
        "25374005",
        "Gastroenteritis",
        "K52.9",
        "Stomach bug (gastroenteritis)",
        chronic=False,
        complaint="vomiting and diarrhoea since yesterday, keeping fluids down since this morning",
        assessment="Viral gastroenteritis with mild dehydration; tolerating fluids by mouth.",
        advice="Take small sips of an oral rehydration drink often. Come back if there is no "
        "urine for eight hours or blood in the stool.",
        fever=True,
        days=(3, 6),
        weight=1.5,
    ),
)
ACUTE_BY_KEY = {problem.key: problem for problem in ACUTE_PROBLEMS}


def acute_choices(age: int, sex: str) -> tuple[list[Problem], list[float]]:
    """The short illnesses someone of this age can have, with how common each is for them."""
    problems = [p for p in ACUTE_PROBLEMS if p.youngest <= age <= p.oldest]
    female = sex == "female"
    return problems, [p.weight * (p.female_factor if female else p.male_factor) for p in problems]
