"""Texts written for the cross-checks: framing devices next to multi-byte characters."""

TRAINING = [
    "The café on the corner is clearly a tax on patience.",
    "Either we fund the night buses or we lose the late shift workers.",
    "It is not a subsidy; it is an investment in the town.",
    "Perhaps the €5 fee will pass, but it might not.",
    "The council obviously knew the numbers 😀 and said nothing.",
    "東京 and 大阪 run their trains on time, always.",
    "I think the naïve plan may work; it seems likely.",
    "The truth is that the bridge is doomed without repairs.",
    "We must choose: the park or the parking lot.",
    "No one doubts the mayor's good faith, and yet the budget is a mess.",
]

DOCS = [
    {"id": "accents", "text": "Le café 😀 is clearly a tax. Either we pay €5 or we leave 東京."},
    {"id": "inversion", "text": "It is not a subsidy; it is obviously an investment. Perhaps it might pass 👍🏽."},
    {"id": "cjk", "text": "Naïve? The truth is the 大阪 plan is doomed, and no one will say so."},
    {"id": "combining", "text": "The cafe\u0301 owner is, without a doubt, right: the 👨‍👩‍👧 family pays €12."},
    {"id": "spaces", "text": "  Clearly,\tthe plan\n\nmay fail.  Either we act or we wait.  "},
    {"id": "empty", "text": ""},
    {
        "id": "long",
        "text": " ".join(
            [
                "The council obviously knew the numbers 😀 and said nothing.",
                "Either we fund the night buses or we lose the late shift workers.",
                "It is not a subsidy; it is an investment in the café and in 東京.",
                "Perhaps the €5 fee will pass, but it might not.",
            ]
            * 8
        ),
    },
]
