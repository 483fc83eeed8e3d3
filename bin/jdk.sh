# Finds a JDK >= 21 for bin/jcorn and bin/test (sourced, not run).
# Looks at $JAVA_HOME, then the newest JDK under /usr/lib/jvm, then the java on PATH.
# On success sets JDK (its home) and JDK_MAJOR; otherwise prints one line and returns 1.

JCORN_MIN_JDK=21

jdk_major() {
    local home=$1 version=""
    if [ -f "$home/release" ]; then
        version=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$home/release")
    fi
    if [ -z "$version" ] && [ -x "$home/bin/java" ]; then
        version=$("$home/bin/java" -version 2>&1 | sed -n '1s/.*version "\([0-9][0-9]*\).*/\1/p')
    fi
    echo "${version:-0}"
}

find_jdk() {
    local candidates=() home major path_java
    [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
    for home in /usr/lib/jvm/*/; do
        [ -x "${home}bin/java" ] && candidates+=("$(jdk_major "${home%/}") ${home%/}")
    done
    # /usr/lib/jvm entries go newest first; JAVA_HOME stays in front of them.
    local sorted=()
    [ -n "${JAVA_HOME:-}" ] && sorted+=("$JAVA_HOME")
    while IFS= read -r line; do sorted+=("${line#* }"); done < <(
        printf '%s\n' "${candidates[@]}" | grep ' ' | sort -t' ' -k1,1nr)
    if path_java=$(command -v java 2>/dev/null); then
        sorted+=("$(dirname "$(dirname "$(readlink -f "$path_java")")")")
    fi
    for home in "${sorted[@]}"; do
        [ -x "$home/bin/java" ] || continue
        major=$(jdk_major "$home")
        if [ "$major" -ge "$JCORN_MIN_JDK" ]; then
            JDK=$home
            JDK_MAJOR=$major
            return 0
        fi
    done
    echo "jcorn: no JDK >= $JCORN_MIN_JDK found (looked at JAVA_HOME, /usr/lib/jvm and PATH); install one or set JAVA_HOME" >&2
    return 1
}

# Maven on JDK >= 23 warns about its own use of sun.misc.Unsafe; that is noise for our users.
maven_opts() {
    if [ "$JDK_MAJOR" -ge 23 ]; then
        echo "--sun-misc-unsafe-memory-access=allow ${MAVEN_OPTS:-}"
    else
        echo "${MAVEN_OPTS:-}"
    fi
}
