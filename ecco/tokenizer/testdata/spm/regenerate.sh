#!/bin/sh
# Regenerates expected_<model>.json: SentencePiece's own ids, pieces and decoded text for every
# string of cases.json, for each .model here; and tokenizer_<model>.json.gz, the same model in
# transformers' tokenizer.json form (../unigram/spm_to_tokenizer_json.py). Needs Debian's sentencepiece (spm_encode,
# spm_decode) and python3-sentencepiece (the same libsentencepiece0, for strings holding a
# newline, which spm_encode's line-based input cannot carry; the script first checks that the
# binding and spm_encode agree on every other string). Run from this directory: sh regenerate.sh
#
# The models were trained once (spm_train is deterministic with one thread) on corpus.txt, the
# repository's Markdown and doc.go files with multilingual text appended (see README.md):
#   spm_train --input=corpus.txt --model_prefix=unigram_bf --vocab_size=3000 --model_type=unigram \
#     --byte_fallback=true --normalization_rule_name=identity --remove_extra_whitespaces=false \
#     --split_digits=true --user_defined_symbols='[MASK],<sep>' --num_threads=1
#   spm_train --input=corpus.txt --model_prefix=unigram_nfkc --vocab_size=3000 --model_type=unigram \
#     --normalization_rule_name=nmt_nfkc --pad_id=0 --eos_id=1 --unk_id=2 --bos_id=-1 --num_threads=1
#   spm_train --input=corpus.txt --model_prefix=unigram_nodummy --vocab_size=1000 --model_type=unigram \
#     --normalization_rule_name=identity --add_dummy_prefix=false --num_threads=1
set -eu
PY=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# One line per case without a newline, then the invalid UTF-8 cases (cases.json's "bytes_hex");
# the line numbers map back to cases.json.
$PY -c 'import json,sys
doc = json.load(open("cases.json"))
for c in doc["cases"]:
    if "\n" not in c: sys.stdout.buffer.write(c.encode() + b"\n")
for h in doc["bytes_hex"]: sys.stdout.buffer.write(bytes.fromhex(h) + b"\n")' > "$tmp/lines.txt"
# Each model as transformers' converters write it to tokenizer.json (gzipped: the charsmap is large).
$PY ../unigram/spm_to_tokenizer_json.py unigram_bf.model "$tmp/bf.json" llama
$PY ../unigram/spm_to_tokenizer_json.py unigram_nfkc.model "$tmp/nfkc.json" t5
gzip -9n < "$tmp/bf.json" > tokenizer_unigram_bf.json.gz
gzip -9n < "$tmp/nfkc.json" > tokenizer_unigram_nfkc.json.gz
# unigram_noescape.model is unigram_nodummy.model with a second normalizer_spec appended that sets
# escape_whitespaces=false (protobuf merges repeated messages; spm_train 0.1.97 has no such flag).
# Its pieces may hold spaces, which --output_format=piece cannot delimit: they come from the binding.
{ cat unigram_nodummy.model; printf '\032\002\050\000'; } > unigram_noescape.model
for model in unigram_bf unigram_nfkc unigram_nodummy unigram_noescape; do
  spm_encode --model=$model.model --output_format=id < "$tmp/lines.txt" > "$tmp/$model.ids"
  spm_encode --model=$model.model --output_format=piece < "$tmp/lines.txt" > "$tmp/$model.pieces"
  spm_decode --model=$model.model --input_format=id < "$tmp/$model.ids" > "$tmp/$model.decoded"
  $PY - "$model" "$tmp" <<'PYEOF'
import json, sys
import sentencepiece as spm
model, tmp = sys.argv[1], sys.argv[2]
sp = spm.SentencePieceProcessor(model_file=model + ".model")
def lines(ext):
    with open("%s/%s.%s" % (tmp, model, ext), encoding="utf-8", newline="\n") as f:
        return f.read().split("\n")[:-1]
ids, pieces, decoded = lines("ids"), lines("pieces"), lines("decoded")
out, k = [], 0
for text in json.load(open("cases.json", encoding="utf-8"))["cases"]:
    if "\n" in text:
        i = sp.encode(text)
        out.append({"text": text, "ids": i, "pieces": sp.encode(text, out_type=str),
                    "decoded": sp.decode(i), "source": "python3-sentencepiece"})
        continue
    row = {"text": text, "ids": [int(x) for x in ids[k].split()], "pieces": pieces[k].split(" ") if pieces[k] else [],
           "decoded": decoded[k], "source": "spm_encode, spm_decode"}
    k += 1
    if model == "unigram_noescape":
        row["pieces"], row["source"] = sp.encode(text, out_type=str), "spm_encode, spm_decode (pieces: python3-sentencepiece)"
    same = sp.encode(text) == row["ids"] and sp.encode(text, out_type=str) == row["pieces"] and sp.decode(row["ids"]) == row["decoded"]
    assert same, "binding and spm_encode differ on %r" % text
    out.append(row)
for h in json.load(open("cases.json", encoding="utf-8"))["bytes_hex"]:
    out.append({"hex": h, "ids": [int(x) for x in ids[k].split()], "pieces": pieces[k].split(" ") if pieces[k] else [],
                "decoded": decoded[k], "source": "spm_encode, spm_decode"})
    if model == "unigram_noescape":
        raw = bytes.fromhex(h)
        assert sp.encode(raw) == out[-1]["ids"], "binding and spm_encode differ on %r" % raw
        out[-1]["pieces"] = [p.decode() if isinstance(p, bytes) else p for p in sp.encode(raw, out_type=str)]
        out[-1]["source"] = "spm_encode, spm_decode (pieces: python3-sentencepiece)"
    k += 1
assert k == len(ids), "spm_encode gave %d lines for %d cases" % (len(ids), k)
doc = {"model": model + ".model", "generator": "regenerate.sh, Debian sentencepiece " + spm.__version__, "cases": out}
with open("expected_%s.json" % model, "w", encoding="utf-8") as f:
    head = json.dumps({k: v for k, v in doc.items() if k != "cases"}, ensure_ascii=False)[:-1]
    rows = ",\n".join(json.dumps(c, ensure_ascii=False) for c in out)
    f.write(head + ', "cases": [\n' + rows + "\n]}\n")
print(model, len(out), "cases")
PYEOF
done
