"""Writes a HuggingFace tokenizer.json (Unigram model, Precompiled normalizer, Metaspace) from a
SentencePiece unigram .model, reading the protobuf by hand (no protobuf package needed)."""
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

model = open(sys.argv[1], "rb").read()
pieces, charsmap = [], b""
for num, wire, val in fields(model):
    if num == 1:
        piece, score, kind = "", 0.0, 1
        for n, w, v in fields(val):
            if n == 1: piece = v.decode("utf-8")
            elif n == 2: score = struct.unpack("<f", v)[0]
            elif n == 3: kind = v
        pieces.append((piece, score, kind))
    elif num == 3:
        for n, w, v in fields(val):
            if n == 2: charsmap = v
unk = next(i for i, p in enumerate(pieces) if p[2] == 2)
added = [{"id": i, "content": p, "single_word": False, "lstrip": False, "rstrip": False,
          "normalized": False, "special": True} for i, (p, s, k) in enumerate(pieces) if k in (2, 3, 4)]
doc = {
    "version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
    "normalizer": {"type": "Sequence", "normalizers": [
        {"type": "Precompiled", "precompiled_charsmap": base64.b64encode(charsmap).decode()},
        {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}]},
    "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "first", "split": True},
    "post_processor": None,
    "decoder": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "first", "split": True},
    "model": {"type": "Unigram", "unk_id": unk, "vocab": [[p, s] for p, s, k in pieces], "byte_fallback": False},
}
json.dump(doc, open(sys.argv[2], "w"), ensure_ascii=False, indent=1)
