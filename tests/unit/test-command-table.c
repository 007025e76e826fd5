/* SPDX-License-Identifier: BSD-2-Clause */
#include "testlib.h"

#include "command.h"

static void every_freebsd_command_has_its_row(void **state)
{
	(void)state;
	for (int cmd = 1; cmd <= PROC_LOGSIGEXIT_STATUS; cmd++) {
		const struct command *c = command_lookup(cmd);
		assert_non_null(c);
		assert_int_equal(c->cmd, cmd);
		assert_non_null(c->handler);
		assert_false(c->md);
	}
}

static void numbers_outside_the_table_have_no_row(void **state)
{
	(void)state;
	const int bad[] = { 0, -1, PROC_LOGSIGEXIT_STATUS + 1, 1000,
	    PROC_PROCCTL_MD_MIN - 1, PROC_PROCCTL_MD_MIN + 4, INT32_MIN, INT32_MAX };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_null(command_lookup(bad[i]));
}

static void only_three_commands_take_a_process_group(void **state)
{
	(void)state;
	const struct command *c;
	for (size_t i = 0; (c = command_at(i)) != NULL; i++) {
		bool expected = c->cmd == PROC_SPROTECT || c->cmd == PROC_TRACE_CTL ||
		    c->cmd == PROC_TRAPCAP_CTL;
		if (c->pgid_ok != expected)
			fail_msg("%s: pgid_ok is %d", c->name, c->pgid_ok);
	}
}

static void data_sizes_match_the_structures(void **state)
{
	(void)state;
	assert_int_equal(command_lookup(PROC_REAP_STATUS)->copyout,
	    sizeof(struct procctl_reaper_status));
	assert_int_equal(command_lookup(PROC_REAP_GETPIDS)->copyin,
	    sizeof(struct procctl_reaper_pids));
	assert_int_equal(command_lookup(PROC_REAP_KILL)->copyin,
	    sizeof(struct procctl_reaper_kill));
	assert_int_equal(command_lookup(PROC_REAP_KILL)->copyout,
	    sizeof(struct procctl_reaper_kill));
	assert_true(command_lookup(PROC_REAP_KILL)->copyout_on_error);

	const struct command *c;
	for (size_t i = 0; (c = command_at(i)) != NULL; i++) {
		if (strstr(c->name, "_CTL") != NULL || c->cmd == PROC_SPROTECT) {
			assert_int_equal(c->copyin, sizeof(int));
			assert_int_equal(c->copyout, 0);
		}
		if (strstr(c->name, "_STATUS") != NULL && c->cmd != PROC_REAP_STATUS) {
			assert_int_equal(c->copyin, 0);
			assert_int_equal(c->copyout, sizeof(int));
		}
	}
}

static void freebsd_special_rules_are_rows(void **state)
{
	(void)state;
	assert_true(command_lookup(PROC_REAP_ACQUIRE)->data_must_be_null);
	assert_true(command_lookup(PROC_REAP_RELEASE)->data_must_be_null);
	assert_true(command_lookup(PROC_PDEATHSIG_CTL)->esrch_is_einval);
	assert_true(command_lookup(PROC_PDEATHSIG_STATUS)->esrch_is_einval);

	/* Every _CTL but SPROTECT and PDEATHSIG needs the right to debug. */
	const struct command *c;
	for (size_t i = 0; (c = command_at(i)) != NULL; i++) {
		bool debug = strstr(c->name, "_CTL") != NULL &&
		    c->cmd != PROC_PDEATHSIG_CTL && !c->md;
		if ((c->access == ACCESS_DEBUG) != debug)
			fail_msg("%s: access %d", c->name, c->access);
	}
}

static void machine_dependent_rows_exist_on_amd64(void **state)
{
	(void)state;
#if defined(__x86_64__)
	for (int cmd = PROC_KPTI_CTL; cmd <= PROC_LA_STATUS; cmd++) {
		const struct command *c = command_lookup(cmd);
		assert_non_null(c);
		assert_int_equal(c->cmd, cmd);
		assert_true(c->md);
	}
	assert_int_equal(command_lookup(PROC_KPTI_CTL)->priv, PRIV_RAWIO);
	assert_int_equal(command_lookup(PROC_LA_CTL)->priv, PRIV_NONE);
#else
	assert_null(command_lookup(PROC_PROCCTL_MD_MIN));
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_freebsd_command_has_its_row),
		cmocka_unit_test(numbers_outside_the_table_have_no_row),
		cmocka_unit_test(only_three_commands_take_a_process_group),
		cmocka_unit_test(data_sizes_match_the_structures),
		cmocka_unit_test(freebsd_special_rules_are_rows),
		cmocka_unit_test(machine_dependent_rows_exist_on_amd64),
	};
	return TL_RUN(tests);
}
