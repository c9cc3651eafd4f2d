"""Cross-check of `rhetor bio` against the Python `tokenizers` library.

Trains small tokenizers (WordPiece, byte-level BPE, Unigram, whitespace BPE) on text written for
this check, saves each as tokenizer.json, runs `rhetor bio` with it, and asserts that every window
has the tokens, ids, attention mask and code point offsets that Python's `tokenizers` gives for
the same file, text, max_length and stride; and that the labels agree with labels.json, give -100
exactly to special tokens, and put device labels only on tokens that overlap a span of that device.

Run: python tests/python/check_bio.py   (needs `pip install tokenizers==0.22.2` and
`cargo build --all-features`; RHETOR=path/to/rhetor picks another binary).
"""

import json
import tempfile
from pathlib import Path

from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers

from common import Tally, jsonl, run
from texts import DOCS, TRAINING


def wordpiece() -> Tokenizer:
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.train_from_iterator(
        TRAINING, trainers.WordPieceTrainer(vocab_size=400, special_tokens=["[UNK]", "[CLS]", "[SEP]", "[PAD]"])
    )
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        special_tokens=[("[CLS]", tok.token_to_id("[CLS]")), ("[SEP]", tok.token_to_id("[SEP]"))],
    )
    return tok


def byte_level_bpe() -> Tokenizer:
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=True)
    tok.train_from_iterator(
        TRAINING,
        trainers.BpeTrainer(
            vocab_size=500,
            initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
            special_tokens=["<s>", "</s>", "<pad>"],
        ),
    )
    tok.post_processor = processors.RobertaProcessing(
        ("</s>", tok.token_to_id("</s>")), ("<s>", tok.token_to_id("<s>")), trim_offsets=True, add_prefix_space=True
    )
    return tok


def unigram() -> Tokenizer:
    tok = Tokenizer(models.Unigram())
    tok.normalizer = normalizers.NFKC()
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    tok.train_from_iterator(
        TRAINING, trainers.UnigramTrainer(vocab_size=300, unk_token="<unk>", special_tokens=["<unk>", "<s>", "</s>"])
    )
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", special_tokens=[("<s>", tok.token_to_id("<s>")), ("</s>", tok.token_to_id("</s>"))]
    )
    return tok


def whitespace_bpe() -> Tokenizer:
    tok = Tokenizer(models.BPE(unk_token="[UNK]"))
    tok.normalizer = normalizers.Sequence([normalizers.NFD(), normalizers.StripAccents(), normalizers.Lowercase()])
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.train_from_iterator(TRAINING, trainers.BpeTrainer(vocab_size=300, special_tokens=["[UNK]"]))
    return tok


TOKENIZERS = {"wordpiece": wordpiece, "bpe-byte-level": byte_level_bpe, "unigram": unigram, "bpe-whitespace": whitespace_bpe}
SETTINGS = [(512, 128, True), (24, 6, True), (16, 4, False)]


def overlaps(token, span) -> bool:
    s, e = token
    if s < e:
        return s < span["char_end"] and span["char_start"] < e
    return span["char_start"] < s < span["char_end"]


def main() -> None:
    tally = Tally("bio cross-check")
    docs_text = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in DOCS)
    spans = {r["id"]: r["spans"] for r in jsonl(run(["annotate", "-q"], docs_text))}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        docs = tmp / "docs.jsonl"
        docs.write_text(docs_text, encoding="utf-8")
        for name, build in TOKENIZERS.items():
            path = tmp / f"{name}.json"
            build().save(str(path))
            for max_length, stride, specials in SETTINGS:
                out, labels_path = tmp / "out.jsonl", tmp / "labels.json"
                args = ["bio", "-q", "--tokenizer", str(path), "--max-length", str(max_length), "--stride", str(stride)]
                args += ["-o", str(out), "--labels", str(labels_path), str(docs)]
                if not specials:
                    args.append("--no-special-tokens")
                run(args)
                label_list = json.loads(labels_path.read_text())["labels"]
                windows = jsonl(out.read_text(encoding="utf-8"))
                reference = Tokenizer.from_file(str(path))
                reference.no_padding()
                reference.enable_truncation(max_length, stride=stride)
                for doc in DOCS:
                    where = f"{name} max_length={max_length} stride={stride} specials={specials} doc={doc['id']}"
                    enc = reference.encode(doc["text"], add_special_tokens=specials)
                    expected = [enc, *enc.overflowing]
                    got = [w for w in windows if w["id"] == doc["id"]]
                    problems = []
                    if len(got) != len(expected):
                        problems.append(f"{len(got)} windows, Python has {len(expected)}")
                    for k, (w, e) in enumerate(zip(got, expected)):
                        if w["window"] != k:
                            problems.append(f"window {k} numbered {w['window']}")
                        for field, theirs in [
                            ("tokens", e.tokens),
                            ("input_ids", e.ids),
                            ("attention_mask", e.attention_mask),
                            ("offsets", [list(o) for o in e.offsets]),
                        ]:
                            if w[field] != theirs:
                                problems.append(f"window {k} {field}: rhetor {w[field]} python {theirs}")
                        for i, (label, lid) in enumerate(zip(w["labels"], w["label_ids"])):
                            special = e.special_tokens_mask[i] == 1
                            if special != (lid == -100) or (label is None) != special:
                                problems.append(f"window {k} token {i}: label {label} id {lid}, special {special}")
                            elif label is not None:
                                token = w["offsets"][i]
                                if label_list[lid] != label:
                                    problems.append(f"window {k} token {i}: {label} has id {lid}")
                                elif label != "O" and not any(
                                    s["device"] == label[2:] and overlaps(token, s) for s in spans[doc["id"]]
                                ):
                                    problems.append(f"window {k} token {i} {token}: {label} outside every {label[2:]} span")
                    labeled = sum(1 for w in got for label in w["labels"] if label and label != "O")
                    if spans[doc["id"]] and labeled == 0:
                        problems.append("no token labeled although rhetor found spans")
                    tally.check(not problems, f"{where}: " + "; ".join(problems[:5]))
    tally.finish()


if __name__ == "__main__":
    main()
