#!/usr/bin/env bash
# The HTTP codec's micro-benchmarks (JMH): parsing a typical browser request head (and, in the
# same run, Netty's HttpRequestDecoder on the same head, the peer), and decoding
# a 1 MiB chunked body. One fork, short iterations: about two minutes. Arguments are
# benchmark name patterns; JMH_OPTS replaces the iteration options. Allocation is shown (-prof gc).
# Usage: bench/jmh.sh [pattern...]
set -euo pipefail
home=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$home"
if [ -z "${JAVA_HOME:-}" ]; then
    for jdk in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64; do
        [ -x $jdk/bin/java ] && export JAVA_HOME=$jdk && break
    done
fi
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
classpath=$(mktemp)
trap 'rm -f $classpath' EXIT
# with -am every module writes the file in turn; the benchmarks' module comes last
mvn -q -B package dependency:build-classpath -pl bench/jmh -am -DskipTests \
    -Dmdep.outputFile="$classpath" -Dmdep.includeScope=runtime
"${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp "bench/jmh/target/classes:$(cat "$classpath")" org.openjdk.jmh.Main \
    ${JMH_OPTS:--f 1 -wi 3 -w 2s -i 5 -r 2s} -t 1 -prof gc -rf text -rff bench/jmh/target/results.txt "$@"
