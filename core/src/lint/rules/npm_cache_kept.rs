use crate::lint::context::is_node_install;
use crate::lint::{Context, Finding, Safety};

pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    for run in context.final_runs() {
        let cleans = |program: &str| {
            run.run
                .commands
                .iter()
                .any(|c| c.is(program, "cache") && c.words.iter().any(|w| w == "clean"))
        };
        for (shell, command) in run.commands() {
            let program = command.program();
            let (cache, clean) = match program {
                "npm" => ("/root/.npm", " && npm cache clean --force"),
                "yarn" => ("/usr/local/share/.cache/yarn", " && yarn cache clean"),
                _ => continue,
            };
            let installs = is_node_install(command)
                || (program == "npm"
                    && matches!(command.subcommand(), Some("install" | "i" | "ci")));
            if !installs
                || cleans(program)
                || run.has_cache_mount(cache)
                || run.removes(cache)
                || run.is_heredoc()
            {
                continue;
            }
            let Some(clean_cache) = run.append(clean) else {
                continue;
            };
            let message = format!(
                "`{program}` keeps its download cache in the layer; clean it in the same RUN"
            );
            findings.push(context.finding(
                "npm-cache-kept",
                shell.span,
                message,
                vec![clean_cache],
                Some(Safety::Safe),
            ));
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::check;

    #[test]
    fn fires_quiet_and_fixed() {
        let bad = "FROM node:20-slim\nWORKDIR /app\nCOPY package.json .\nRUN npm ci --omit=dev\n";
        let good = "FROM node:20-slim\nWORKDIR /app\nCOPY package.json .\nRUN npm ci --omit=dev && npm cache clean --force\n";
        check("npm-cache-kept", bad, good);
        let yarn = "FROM node:20-slim\nRUN yarn install --production\n";
        let yarn_good = "FROM node:20-slim\nRUN yarn install --production && yarn cache clean\n";
        check("npm-cache-kept", yarn, yarn_good);
    }
}
