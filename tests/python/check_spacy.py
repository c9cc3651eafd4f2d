"""Loads `rhetor annotate --format spacy` output with spaCy itself.

For every document of texts.DOCS, builds a spaCy Doc with `spacy.blank("en")`, turns every
exported span into a spaCy Span with `doc.char_span(start, end, label)` (strict alignment), and
asserts that it exists and covers the same text as `rhetor annotate` reports for that span; the
spans then go into `doc.spans` and through a DocBin round trip, as for training. One check per
span, plus one per document for the DocBin round trip.

Run: python tests/python/check_spacy.py   (needs `pip install spacy`; RHETOR=path/to/rhetor
picks another binary than target/debug/rhetor).
"""

import json

import spacy
from spacy.tokens import DocBin

from common import Tally, jsonl, run
from texts import DOCS

EXTRA = [
    {"id": "quotes", "text": "“It is not a bug,” she wrote, “it is a feature.” Surely not?"},
    {"id": "hyphen", "text": "The so-called reform is, in fact, a well-known tax; perhaps it will fail."},
]


def main() -> None:
    tally = Tally("spaCy export check")
    docs = DOCS + EXTRA
    stdin = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs)
    exported = jsonl(run(["annotate", "-q", "--format", "spacy"], stdin))
    annotated = jsonl(run(["annotate", "-q"], stdin))
    nlp = spacy.blank("en")
    total_spans = 0
    for record, reference, source in zip(exported, annotated, docs):
        tally.check(record["text"] == source["text"], f"{source['id']}: text changed")
        tally.check(record["meta"]["id"] == source["id"], f"{source['id']}: meta.id {record['meta']}")
        doc = nlp.make_doc(record["text"])
        spans = []
        for span, ref in zip(record["spans"], reference["spans"]):
            total_spans += 1
            made = doc.char_span(span["start"], span["end"], label=span["label"])
            ok = (
                made is not None
                and made.text == ref["text"]
                and made.label_ == ref["device"]
                and record["text"][span["start"] : span["end"]] == ref["text"]
            )
            tally.check(ok, f"{source['id']}: span {span} -> {made!r}, rhetor says {ref['text']!r}")
            if made is not None:
                spans.append(made)
        tally.check(len(record["spans"]) == len(reference["spans"]), f"{source['id']}: span count")
        doc.spans["rhetor"] = spans
        back = list(DocBin(docs=[doc], store_user_data=True).get_docs(nlp.vocab))[0]
        again = [(s.start_char, s.end_char, s.label_) for s in back.spans["rhetor"]]
        tally.check(
            again == [(s["start"], s["end"], s["label"]) for s in record["spans"]],
            f"{source['id']}: DocBin round trip {again}",
        )
    tally.check(total_spans >= 10, f"only {total_spans} spans exported: the texts lost their devices")
    tally.finish()


if __name__ == "__main__":
    main()
