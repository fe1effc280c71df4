"""Writes a HuggingFace tokenizer.json (Unigram model) from a SentencePiece unigram .model, reading
the protobuf by hand (no protobuf package needed).

    python3 spm_to_tokenizer_json.py MODEL OUT [legacy|t5|llama]

legacy (the default, testdata/unigram/tokenizer.json): Precompiled, spaces collapsed, Metaspace
with prepend_scheme first. t5: transformers' SpmConverter/T5Converter form (Precompiled, Strip
right, runs of spaces to one ▁, Metaspace always, "$A </s>"; control and user-defined pieces
added tokens). llama: its LlamaConverter form for byte-fallback models that keep whitespace
(Prepend ▁, spaces to ▁, no pre-tokenizer, ByteFallback decoder)."""
import base64, json, struct, sys

def fields(buf):
    i = 0
    while i < len(buf):
        key, i = varint(buf, i)
        num, wire = key >> 3, key & 7
        if wire == 0:
            val, i = varint(buf, i)
        elif wire == 1:
            val, i = buf[i:i + 8], i + 8
        elif wire == 2:
            n, i = varint(buf, i)
            val, i = buf[i:i + n], i + n
        elif wire == 5:
            val, i = buf[i:i + 4], i + 4
        else:
            raise ValueError("wire type %d" % wire)
        yield num, wire, val

def varint(buf, i):
    shift = result = 0
    while True:
        b = buf[i]; i += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return result, i

def read_model(path):
    pieces, norm, trainer = [], {2: b"", 3: 1, 4: 1}, {35: 0, 42: 2}
    for num, wire, val in fields(open(path, "rb").read()):
        if num == 1:
            piece, score, kind = "", 0.0, 1
            for n, w, v in fields(val):
                if n == 1: piece = v.decode("utf-8")
                elif n == 2: score = struct.unpack("<f", v)[0]
                elif n == 3: kind = v
            pieces.append((piece, score, kind))
        elif num in (2, 3):
            for n, w, v in fields(val):
                (trainer if num == 2 else norm)[n] = v
    return pieces, norm, trainer


def metaspace(kind, scheme):
    return {"type": kind, "replacement": "\u2581", "prepend_scheme": scheme, "split": True}


def main(path, out, form="legacy"):
    pieces, norm, trainer = read_model(path)
    charsmap = norm[2]
    unk = next(i for i, p in enumerate(pieces) if p[2] == 2)
    added = [{"id": i, "content": p, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": form == "legacy" or k != 4}
             for i, (p, s, k) in enumerate(pieces) if k in (2, 3, 4)]
    precompiled = [{"type": "Precompiled", "precompiled_charsmap": base64.b64encode(charsmap).decode()}] if charsmap or form == "legacy" else []
    doc = {"version": "1.0", "truncation": None, "padding": None, "added_tokens": added, "post_processor": None,
           "model": {"type": "Unigram", "unk_id": unk, "vocab": [[p, s] for p, s, k in pieces],
                     "byte_fallback": bool(trainer[35]) and form != "legacy"}}
    if form == "legacy":
        doc["normalizer"] = {"type": "Sequence", "normalizers": precompiled + [
            {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}]}
        doc["pre_tokenizer"], doc["decoder"] = metaspace("Metaspace", "first"), metaspace("Metaspace", "first")
    elif form == "t5":
        doc["normalizer"] = {"type": "Sequence", "normalizers": precompiled + [
            {"type": "Strip", "strip_left": False, "strip_right": True},
            {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": "\u2581"}]}
        doc["pre_tokenizer"], doc["decoder"] = metaspace("Metaspace", "always"), metaspace("Metaspace", "always")
        eos = pieces[trainer[42]][0]
        doc["post_processor"] = {"type": "TemplateProcessing", "single": [{"Sequence": {"id": "A", "type_id": 0}},
            {"SpecialToken": {"id": eos, "type_id": 0}}], "pair": [], "special_tokens": {eos: {"id": eos, "ids": [trainer[42]], "tokens": [eos]}}}
    elif form == "llama":
        doc["normalizer"] = {"type": "Sequence", "normalizers": precompiled + [
            {"type": "Prepend", "prepend": "\u2581"}, {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"}]}
        doc["pre_tokenizer"] = None
        doc["decoder"] = {"type": "Sequence", "decoders": [{"type": "Replace", "pattern": {"String": "\u2581"}, "content": " "},
            {"type": "ByteFallback"}, {"type": "Fuse"}, {"type": "Strip", "content": " ", "start": 1, "stop": 0}]}
    else:
        raise SystemExit("form %r: expected legacy, t5 or llama" % form)
    json.dump(doc, open(out, "w"), ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main(*sys.argv[1:])
