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

# Whether the JDK's JVM starts with the flag $1 (some came to a major version in an update, as
# -XX:TrimNativeHeapInterval did to 21). A JVM is started to ask once per JDK build; the answer is
# kept in $XDG_CACHE_HOME/jcorn (or ~/.cache/jcorn), beside the workers' AOT cache, when there is one.
jdk_takes() {
    local flag=$1 dir="" key answer
    if [ -n "${XDG_CACHE_HOME:-}" ]; then dir=$XDG_CACHE_HOME/jcorn; elif [ -n "${HOME:-}" ]; then dir=$HOME/.cache/jcorn; fi
    key=$(printf '%s\n' "$JDK" "$flag" "$(cat "$JDK/release" 2>/dev/null)" | cksum | cut -d' ' -f1)
    if [ -n "$dir" ] && answer=$(cat "$dir/jvm-flag-$key" 2>/dev/null); then
        [ "$answer" = yes ]
        return
    fi
    answer=no
    "$JDK/bin/java" "$flag" -XX:-UsePerfData -XX:TieredStopAtLevel=1 -version >/dev/null 2>&1 && answer=yes
    if [ -n "$dir" ] && mkdir -p "$dir" 2>/dev/null; then
        echo "$answer" > "$dir/jvm-flag-$key.$$" 2>/dev/null && mv -f "$dir/jvm-flag-$key.$$" "$dir/jvm-flag-$key" 2>/dev/null
    fi
    [ "$answer" = yes ]
}

# Maven on JDK >= 23 warns about its own use of sun.misc.Unsafe; that is noise for our users.
maven_opts() {
    if [ "$JDK_MAJOR" -ge 23 ]; then
        echo "--sun-misc-unsafe-memory-access=allow ${MAVEN_OPTS:-}"
    else
        echo "${MAVEN_OPTS:-}"
    fi
}
