export const INSTALL_HINT = "Install Debian's registry and htpasswd: apt-get install docker-registry apache2-utils (as scripts/setup.sh does).";
