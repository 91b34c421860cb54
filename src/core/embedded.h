/* Files carried inside the binaries (schemas, page templates, CSS), by their base name. */
#ifndef SA_EMBEDDED_H
#define SA_EMBEDDED_H

/* The text of the named file, or NULL. */
const char *sa_embedded(const char *name);

#endif
