#!/usr/bin/env bash
# fetch-cuda.sh CACHE CONTEXT - stage what the training-cuda image adds to the training-cpu content (called by
# containers/build.sh --only training-cuda; OPT-IN, never run by make test: see containers/README.md):
#   CONTEXT/cuda/lib/              the CUDA 11.6 runtime + cuDNN 8.3 shared libraries from Maven Central's
#                                  org.bytedeco:cuda:11.6-8.3-1.5.7:linux-x86_64-redist (1.74 GB of jars, cached in CACHE)
#   CONTEXT/deepstroke/lib/dl4j/   nd4j-native* replaced by nd4j-cuda-11.6 (the unet module's -Pcuda backend) and
#                                  the matching org.bytedeco cuda class jar
# Run here 2026-12-07 through the opt-in test ContainerImagesTest.cudaImageResolvesEveryLibraryOfNd4jCuda
# (-Ddeepstroke.test.cuda=true): every library resolves inside the image except the GPU driver's own libcuda.so.1 and
# libnvidia-ml.so.1 (containers/README.md). No GPU here: no training step has run in the image.
set -euo pipefail
cache=$1 ctx=$2
dl4j_version=1.0.0-M2.1
cuda_version=11.6-8.3-1.5.7
mkdir -p "$cache/jars"
fetch() {   # groupId:artifactId:version[:packaging[:classifier]]
  local file
  file="$cache/jars/$(echo "$1" | awk -F: '{ print $2 "-" $3 ($5 != "" ? "-" $5 : "") ".jar" }')"
  if [[ ! -s $file ]]; then
    mvn -B -ntp -q dependency:copy -Dartifact="$1" -DoutputDirectory="$cache/jars" >&2
  fi
  [[ -s $file ]] || { echo "fetch-cuda.sh: $1 not downloaded ($file)" >&2; exit 1; }
  echo "$file"
}
redist=$(fetch "org.bytedeco:cuda:$cuda_version:jar:linux-x86_64-redist")
mkdir -p "$ctx/cuda/lib"
unzip -q -o -j "$redist" 'org/bytedeco/cuda/linux-x86_64/*.so*' -d "$ctx/cuda/lib"
rm -f "$ctx"/deepstroke/lib/dl4j/nd4j-native-*.jar
cp "$(fetch "org.nd4j:nd4j-cuda-11.6:$dl4j_version")" "$(fetch "org.nd4j:nd4j-cuda-11.6:$dl4j_version:jar:linux-x86_64")" \
   "$(fetch "org.nd4j:nd4j-cuda-11.6-preset:$dl4j_version")" "$(fetch "org.nd4j:nd4j-cuda-11.6-preset:$dl4j_version:jar:linux-x86_64")" \
   "$(fetch "org.bytedeco:cuda:$cuda_version")" "$(fetch "org.bytedeco:cuda:$cuda_version:jar:linux-x86_64")" \
   "$ctx/deepstroke/lib/dl4j/"
echo "fetch-cuda.sh: staged $(du -sh "$ctx/cuda" | cut -f1) of CUDA libraries" >&2
