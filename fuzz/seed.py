"""Seeds each fuzz target's corpus from the shared vectors (tests/vectors)."""
import hashlib, json, os, pathlib, sys

root = pathlib.Path(__file__).resolve().parent
vectors = root.parent / "tests" / "vectors"
seeds = {t: set() for t in ["filter_parse", "filter_roundtrip", "path_parse", "patch_apply", "patch_removals", "validate", "query", "bulk_plan", "bulk_cycles", "registry_build", "sql_translate", "mapping_record"]}
for f in vectors.rglob("*.json"):
    if f.name == "vector.schema.json":
        continue
    doc = json.loads(f.read_text())
    op = doc.get("operation", "")
    for case in doc.get("cases", []):
        i = case.get("input", {})
        if not isinstance(i, dict):
            continue
        if "filter" in i and isinstance(i["filter"], str):
            seeds["filter_parse"].add(i["filter"]); seeds["filter_roundtrip"].add(i["filter"])
        if "path" in i and isinstance(i["path"], str):
            seeds["path_parse"].add(i["path"])
        if op == "validate":
            seeds["validate"].add(i["text"] if isinstance(i.get("text"), str) else json.dumps(i.get("body")))
        if op == "patch.apply":
            req = i["text"] if isinstance(i.get("text"), str) else json.dumps(i.get("request"))
            seeds["patch_apply"].add(json.dumps(i.get("resource")) + "\n" + req)
        if "query" in i and isinstance(i["query"], str):
            seeds["query"].add(i["query"])
        if "searchRequest" in i:
            seeds["query"].add(json.dumps(i["searchRequest"]))
        if isinstance(i.get("schemas"), list) and i["schemas"]:
            types = i.get("resourceTypes") if isinstance(i.get("resourceTypes"), list) else []
            body = i.get("body", i.get("resource", {}))
            for schema in i["schemas"]:
                for resource_type in types or [{}]:
                    seeds["registry_build"].add(json.dumps(schema) + "\n" + (json.dumps(resource_type) if resource_type else "") + "\n" + json.dumps(body))
        if "mapping" in i and isinstance(i.get("filter"), str):
            seeds["sql_translate"].add(json.dumps(i["mapping"]) + "\n" + i["filter"])
        if op.startswith("mapping") and isinstance(i.get("resource"), dict):
            seeds["mapping_record"].add(json.dumps(i["resource"]))
        if op == "validate" and isinstance(i.get("body"), dict):
            seeds["mapping_record"].add(json.dumps(i["body"]))
        if op.startswith("protocol.bulk"):
            for key in ("request", "text", "body"):
                if key in i:
                    seeds["bulk_plan"].add(i[key] if isinstance(i[key], str) else json.dumps(i[key]))
# Tangled bulk requests and removal runs read any bytes: a few to start from each.
seeds["bulk_cycles"].update(["".join(chr(1 + (i * 29) % 120) for i in range(n)) for n in (6, 20, 48, 90)])
seeds["patch_removals"].update(["\x10" + "".join(chr(33 + (i * 13) % 90) for i in range(n)) for n in (8, 24, 60)])
custom = root.parent / "examples" / "custom"
seeds["registry_build"].add("\n".join(json.dumps(json.loads((custom / n).read_text())) for n in ("device.schema.json", "device.resource-type.json", "device.json")))
for target, items in seeds.items():
    out = root / "corpus" / target
    out.mkdir(parents=True, exist_ok=True)
    for s in items:
        data = s.encode()
        (out / hashlib.sha1(data).hexdigest()).write_bytes(data)
    print(f"{target}: {len(items)} seeds")
