#!/usr/bin/env bash
# mtcnn over a folder of photos as a Slurm job array: each array task detects the faces of its
# share of the photos (--shard auto takes K and N from SLURM_ARRAY_TASK_ID and
# SLURM_ARRAY_TASK_COUNT) into its own file, out/faces-K.jsonl; `mtcnn merge` then makes the
# one file a single run would have written, byte for byte. See docs/scale-out.md.
#
#   sbatch docs/examples/slurm-array.sh                       # 4 tasks over ./photos into ./out
#   PHOTOS=/data/photos OUT=/data/faces sbatch --array=0-15 docs/examples/slurm-array.sh
#   mtcnn merge out/faces-*.jsonl --expect photos -o out/faces.jsonl    # once all are done
#
# Environment (sbatch passes the submitting shell's environment to the tasks):
#   MTCNN   the mtcnn binary (default: mtcnn on PATH)
#   PHOTOS  the photos: a folder, walked recursively (default: photos)
#   OUT     where the tasks' files go (default: out); must be shared by the nodes
# Relative paths are relative to the folder sbatch was run in. Every task must see the photos
# at the same path, spelled the same way: a photo's share is a hash of its path as given, and
# the merged file is byte-identical to `mtcnn detect "$PHOTOS" -o ...` run there.
#
# The options below are defaults; sbatch's command line overrides them (--array=0-15 for 16
# tasks: the count comes from the array, nothing else changes). The array may start anywhere
# and have a step (--array=1-4, --array=0-30:10): shares are counted from its first ID.
#SBATCH --job-name=mtcnn
#SBATCH --array=0-3
# Per task: mtcnn runs --threads = these CPUs; 75 MB + 120 MB per thread
# for 4000x3000 photos.
#SBATCH --cpus-per-task=2
#SBATCH --mem=2G
#SBATCH --time=02:00:00
# A task that is preempted, or whose node fails, goes back in the queue and starts again;
# --resume below makes it continue its unfinished file instead of starting over.
#SBATCH --requeue
# A requeued task adds to its log instead of replacing it.
#SBATCH --open-mode=append
#SBATCH --output=mtcnn-%A_%a.log
set -euo pipefail

MTCNN=${MTCNN:-mtcnn}
PHOTOS=${PHOTOS:-photos}
OUT=${OUT:-out}

echo "task ${SLURM_ARRAY_TASK_ID:-?} of job ${SLURM_ARRAY_JOB_ID:-?} on $(hostname)" \
  "(restarts: ${SLURM_RESTART_COUNT:-0})"

# exec: mtcnn gets Slurm's signals itself. On preemption, scancel or the time limit, Slurm sends
# SIGTERM (then SIGKILL after the cluster's KillWait, 30 s by default): mtcnn finishes the photos
# in flight, keeps the records so far in out/faces-K.jsonl.partial and exits 143. A SIGKILL
# (or a node that dies) loses at most the record being written; --resume cuts it off.
#
# {shard} is K, padded to the width of N (faces-07.jsonl of 16). The task exits 0 when all its
# photos were read, 1 when some could not be (each still has a record with its error: Slurm
# shows the task FAILED, and the file is complete), 2 on a set-up error (flags, weights).
exec "$MTCNN" detect "$PHOTOS" --shard auto --threads "${SLURM_CPUS_PER_TASK:-2}" \
  -o "$OUT/faces-{shard}.jsonl" --resume
