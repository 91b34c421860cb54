/* The product's defaults (README, "Configuration", lists the same values). */
#include "core/defaults.h"

const sa_defaults_t sa_defaults = {
    .cookie_name = "seances_session",
    .cookie_attrs = "Path=/; HttpOnly; Secure; SameSite=Lax",
    .session_idle = 30 * 60L,
    .session_max = 12 * 3600L,
    .remember = 30 * 86400L,
    .login_url = "/login",
    .portal_url = "/portal",
    .twofactor = 1,
    .twofactor_url = "/2fa/setup",
    .language = "fr",
    .issuer = "Seances",
    .lockout_account = 5,
    .lockout_address = 20,
    .lockout_window = 15 * 60L,
    .lockout_ban = 15 * 60L,
    .password_min = 12,
    .smtp_starttls = 1,
    .pass_headers = 0,
    .retention = 365 * 86400L,
    .housekeeping = 60,
    .housekeeping_batch = 1000,
    .session_cache = "shmcb",
    .session_recheck = 1,
    .timezone = "Europe/Zurich",
};
