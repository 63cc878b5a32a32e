#!/usr/bin/env python3
"""A dry run of docs/examples/k8s-indexed-job.yaml without Kubernetes.

Parses the Job as YAML, checks what makes it an Indexed Job whose pods split the photos
(completionMode Indexed, completions = parallelism = --shards N, --shard auto, {shard} in -o,
--resume), takes the container's command line and environment from it, and runs that command
once per index with JOB_COMPLETION_INDEX set, as the pods would, with the volume's mount path
mapped to a local folder of photos and the image's weights to the checkout's. Then merges the
pods' files and compares the bytes with a single run of the same command. Also: the command
without an index exits 2 naming the variables, and a retried pod finds its file complete.

    tests/scale_out/k8s_indexed_job_test.py REPO_ROOT MTCNN_BINARY MAKE_BENCH_CORPUS
"""
import filecmp
import os
import pathlib
import subprocess
import sys
import tempfile

try:
    import yaml
except ImportError:
    print("FAILED: needs PyYAML (Debian: python3-yaml; scripts/setup.sh --tests installs it)")
    sys.exit(1)


def fail(message):
    print(f"FAILED: {message}")
    sys.exit(1)


def option_value(command, name):
    """The value after `name` in an argument list, or None."""
    if name not in command:
        return None
    at = command.index(name)
    if at + 1 >= len(command):
        fail(f"{name} has no value in the container's command")
    return command[at + 1]


def without_options(command, flags, options):
    """The command without the given flags and options (with their values)."""
    kept, skip = [], False
    for argument in command:
        if skip:
            skip = False
        elif argument in options:
            skip = True
        elif argument not in flags:
            kept.append(argument)
    return kept


def main():
    root = pathlib.Path(sys.argv[1]).resolve()
    mtcnn = str(pathlib.Path(sys.argv[2]).resolve())
    make_corpus = sys.argv[3]
    manifest = root / "docs/examples/k8s-indexed-job.yaml"
    job = yaml.safe_load(manifest.read_text())

    # --- the Job as Kubernetes reads it ----------------------------------------------------
    if job.get("apiVersion") != "batch/v1" or job.get("kind") != "Job":
        fail("not a batch/v1 Job")
    spec = job["spec"]
    if spec.get("completionMode") != "Indexed":
        fail("completionMode is not Indexed: the pods would get no JOB_COMPLETION_INDEX")
    completions, parallelism = spec.get("completions"), spec.get("parallelism")
    if not isinstance(completions, int) or completions < 1 or parallelism != completions:
        fail(f"completions ({completions}) and parallelism ({parallelism}) should be one N")
    pod = spec["template"]["spec"]
    if "podFailurePolicy" in spec and pod.get("restartPolicy") != "Never":
        fail("podFailurePolicy needs restartPolicy: Never")
    containers = pod["containers"]
    if len(containers) != 1:
        fail("expected one container")
    container = containers[0]
    command = [str(a) for a in container.get("command", []) + container.get("args", [])]
    if command[:2] != ["mtcnn", "detect"]:
        fail(f"the container does not run mtcnn detect: {command}")
    if option_value(command, "--shard") != "auto":
        fail("the container should take its share from the index: --shard auto")
    if option_value(command, "--shards") != str(completions):
        fail(f"--shards {option_value(command, '--shards')} but completions: {completions}")
    output = option_value(command, "-o") or option_value(command, "--output")
    if output is None or "{shard}" not in output:
        fail("each pod needs a file of its own: -o ...{shard}...")
    if "--resume" not in command:
        fail("a retried pod should continue its file: --resume")
    mounts = {m["name"]: m["mountPath"] for m in container.get("volumeMounts", [])}
    volumes = {v["name"] for v in pod.get("volumes", [])}
    if not mounts or set(mounts) - volumes:
        fail("the container's volume mounts should name the pod's volumes")
    print(f"{manifest.relative_to(root)}: Indexed Job, {completions} pods, command: "
          + " ".join(command))

    with tempfile.TemporaryDirectory(prefix="mtcnn-k8s-test-") as work:
        work = pathlib.Path(work)
        # Each mount path becomes a local folder; the photos go where the command reads them.
        local = {path: str(work / name) for name, path in mounts.items()}

        def mapped(argument):
            for path, folder in local.items():
                if argument == path or argument.startswith(path + "/"):
                    return folder + argument[len(path):]
            return argument

        photos = mapped(command[2])
        if photos == command[2]:
            fail(f"the photos ({command[2]}) are not on a mounted volume")
        subprocess.run([str(root / "tests/scale_out/make_photos.sh"), make_corpus,
                        str(root / "samples"), photos], check=True)

        # The pod's environment: the container's env, the weights of this checkout instead of
        # the image's, and no job-array variables of whatever runs this test.
        base = {k: v for k, v in os.environ.items()
                if not k.startswith(("SLURM_", "AWS_BATCH_", "JOB_COMPLETION_INDEX",
                                     "MTCNN_SHARDS"))}
        base.update({e["name"]: str(e["value"]) for e in container.get("env", [])})
        base["MTCNN_MODELS"] = str(root / "weights")
        argv = [mtcnn] + [mapped(a) for a in command[1:]]

        nowhere = subprocess.run(argv, env=base, capture_output=True, text=True)
        if nowhere.returncode != 2 or "JOB_COMPLETION_INDEX" not in nowhere.stderr:
            fail(f"without an index: exit {nowhere.returncode}, {nowhere.stderr.strip()}")

        width = len(str(completions))
        files = []
        for index in range(completions):
            run = subprocess.run(argv, env=dict(base, JOB_COMPLETION_INDEX=str(index)),
                                 capture_output=True, text=True)
            print(f"index {index}: exit {run.returncode}: {run.stderr.strip()}")
            if run.returncode != 0:
                fail(f"the pod of index {index} failed")
            files.append(mapped(output).replace("{shard}", str(index).zfill(width)))
            if not os.path.isfile(files[-1]):
                fail(f"index {index} wrote no {files[-1]}")

        # A replacement pod of a finished index (say, after exit 1) finds its file complete.
        again = subprocess.run(argv, env=dict(base, JOB_COMPLETION_INDEX="0"),
                               capture_output=True, text=True)
        if again.returncode != 0 or "nothing to resume" not in again.stderr:
            fail(f"a retried pod: exit {again.returncode}, {again.stderr.strip()}")

        merged, single = work / "merged.jsonl", work / "single.jsonl"
        subprocess.run([mtcnn, "merge", *files, "--expect", photos, "-o", str(merged)],
                       env=base, check=True)
        alone = without_options(argv, {"--resume"}, {"--shard", "--shards", "-o", "--output"})
        subprocess.run(alone + ["-o", str(single), "-q"], env=base, check=True)
        if not filecmp.cmp(merged, single, shallow=False):
            fail("the merged pods' files differ from a single run")
        records = len(single.read_text().splitlines())
        print(f"merged == single run: {records} records, {single.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
