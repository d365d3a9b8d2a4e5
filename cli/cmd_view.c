/*
 * cmd_view.c - attrledger incident / actor / participant / stats / norms /
 * norm / state: the case files the attribution body works with, derived
 * from the signed entries.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"

typedef enum { V_INCIDENT, V_ACTOR, V_PARTICIPANT, V_STATS, V_NORMS, V_NORM, V_STATE } view_kind;

static int
run(cli *c, int argc, char **argv, view_kind kind, const char *usage)
{
    ledger_log *log = NULL;
    ledger_buf out = LEDGER_BUF_INIT;
    char **pos = NULL;
    int npos = 0, rc;

    if ((rc = cli_parse(c, argc, argv, NULL, NULL, NULL, &pos, &npos)) != 0)
        return rc < 0 ? EXIT_OK : rc;
    if (npos != (kind == V_STATS || kind == V_NORMS ? 0 : 1)) {
        rc = cli_usage(c, "usage: %s", usage);
        goto done;
    }
    if ((rc = cli_open_ledger(c, LEDGER_OPEN_READONLY, &log)) != 0)
        goto done;
    switch (kind) {
    case V_INCIDENT:
        rc = ledger_view_incident(&out, log, pos[0], c->json);
        break;
    case V_ACTOR:
        rc = ledger_view_actor(&out, log, pos[0], c->json);
        break;
    case V_PARTICIPANT:
        rc = ledger_view_participant(&out, log, pos[0], c->json);
        break;
    case V_STATS:
        rc = ledger_view_stats(&out, log, c->json);
        break;
    case V_NORMS:
        rc = ledger_view_norms(&out, log, c->json);
        break;
    case V_NORM:
        rc = ledger_view_norm(&out, log, pos[0], c->json);
        break;
    case V_STATE:
        rc = ledger_view_state(&out, log, pos[0], c->json);
        break;
    }
    if (rc < 0) {
        /* Nothing by that name is an answer (exit 1), not a failure. */
        rc = cli_fail_job(c, rc, CLI_FIND);
        goto done;
    }
    if (c->json)
        cli_json_print(out.data, out.len);
    else
        fwrite(out.data, 1, out.len, stdout);
    rc = EXIT_OK;
done:
    ledger_buf_dispose(&out);
    ledger_log_free(log);
    free(pos);
    return rc;
}

int
cmd_incident(cli *c, int argc, char **argv)
{
    return run(c, argc, argv, V_INCIDENT, "attrledger incident -C DIR KEY [--json]");
}

int
cmd_actor(cli *c, int argc, char **argv)
{
    return run(c, argc, argv, V_ACTOR, "attrledger actor -C DIR ID [--json]");
}

int
cmd_participant(cli *c, int argc, char **argv)
{
    return run(c, argc, argv, V_PARTICIPANT, "attrledger participant -C DIR ID [--json]");
}

int
cmd_stats(cli *c, int argc, char **argv)
{
    return run(c, argc, argv, V_STATS, "attrledger stats -C DIR [--json]");
}

int
cmd_norms(cli *c, int argc, char **argv)
{
    return run(c, argc, argv, V_NORMS, "attrledger norms -C DIR [--json]");
}

int
cmd_norm(cli *c, int argc, char **argv)
{
    return run(c, argc, argv, V_NORM, "attrledger norm -C DIR ID [--json]");
}

int
cmd_state(cli *c, int argc, char **argv)
{
    return run(c, argc, argv, V_STATE, "attrledger state -C DIR ACTOR [--json]");
}
