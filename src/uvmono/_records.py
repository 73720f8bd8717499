"""Written by uvmono.records (`UVMONO_UPDATE_GOLDEN=1 pytest tests/test_records.py`);
do not edit. Each record's methods, compiled with this module (see records.py)."""

# ruff: noqa
# mypy: ignore-errors

MAKERS = {}


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, workspace_root, base, head, base_source, changed_files, directly_changed, affected, reasons, no_effect=defaults['no_effect'], deleted_members=MISSING):
        setattr(self, 'workspace_root', workspace_root)
        setattr(self, 'base', base)
        setattr(self, 'head', head)
        setattr(self, 'base_source', base_source)
        setattr(self, 'changed_files', changed_files)
        setattr(self, 'directly_changed', directly_changed)
        setattr(self, 'affected', affected)
        setattr(self, 'reasons', reasons)
        setattr(self, 'no_effect', no_effect)
        setattr(self, 'deleted_members', factories['deleted_members']() if deleted_members is MISSING else deleted_members)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(workspace_root={self.workspace_root!r}, base={self.base!r}, head={self.head!r}, base_source={self.base_source!r}, changed_files={self.changed_files!r}, directly_changed={self.directly_changed!r}, affected={self.affected!r}, reasons={self.reasons!r}, no_effect={self.no_effect!r}, deleted_members={self.deleted_members!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.workspace_root,self.base,self.head,self.base_source,self.changed_files,self.directly_changed,self.affected,self.reasons,self.no_effect,self.deleted_members,) == (other.workspace_root,other.base,other.head,other.base_source,other.changed_files,other.directly_changed,other.affected,other.reasons,other.no_effect,other.deleted_members,)
        return NotImplemented
    def __hash__(self):
        return hash((self.workspace_root,self.base,self.head,self.base_source,self.changed_files,self.directly_changed,self.affected,self.reasons,self.no_effect,self.deleted_members,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.affected.reasons.Affected'] = ((True, False, False, (('workspace_root', True, False, False, False, True, True, None), ('base', True, False, False, False, True, True, None), ('head', True, False, False, False, True, True, None), ('base_source', True, False, False, False, True, True, None), ('changed_files', True, False, False, False, True, True, None), ('directly_changed', True, False, False, False, True, True, None), ('affected', True, False, False, False, True, True, None), ('reasons', True, False, False, False, True, True, None), ('no_effect', True, False, True, False, True, True, None), ('deleted_members', True, False, False, True, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, file, kind, pattern=defaults['pattern'], member=defaults['member']):
        setattr(self, 'file', file)
        setattr(self, 'kind', kind)
        setattr(self, 'pattern', pattern)
        setattr(self, 'member', member)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(file={self.file!r}, kind={self.kind!r}, pattern={self.pattern!r}, member={self.member!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.file,self.kind,self.pattern,self.member,) == (other.file,other.kind,other.pattern,other.member,)
        return NotImplemented
    def __hash__(self):
        return hash((self.file,self.kind,self.pattern,self.member,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.affected.reasons.NoEffect'] = ((True, False, False, (('file', True, False, False, False, True, True, None), ('kind', True, False, False, False, True, True, None), ('pattern', True, False, True, False, True, True, None), ('member', True, False, True, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, kind, data=MISSING):
        setattr(self, 'kind', kind)
        setattr(self, 'data', factories['data']() if data is MISSING else data)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(kind={self.kind!r}, data={self.data!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.kind,self.data,) == (other.kind,other.data,)
        return NotImplemented
    def __hash__(self):
        return hash((self.kind,self.data,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.affected.reasons.Reason'] = ((True, False, False, (('kind', True, False, False, False, True, True, None), ('data', True, False, False, True, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, repo_root, base, head, base_source, files, everything=defaults['everything']):
        setattr(self, 'repo_root', repo_root)
        setattr(self, 'base', base)
        setattr(self, 'head', head)
        setattr(self, 'base_source', base_source)
        setattr(self, 'files', files)
        setattr(self, 'everything', everything)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(repo_root={self.repo_root!r}, base={self.base!r}, head={self.head!r}, base_source={self.base_source!r}, files={self.files!r}, everything={self.everything!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.repo_root,self.base,self.head,self.base_source,self.files,self.everything,) == (other.repo_root,other.base,other.head,other.base_source,other.files,other.everything,)
        return NotImplemented
    def __hash__(self):
        return hash((self.repo_root,self.base,self.head,self.base_source,self.files,self.everything,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.changes.ChangeSet'] = ((True, False, False, (('repo_root', True, False, False, False, True, True, None), ('base', True, False, False, False, True, True, None), ('head', True, False, False, False, True, True, None), ('base_source', True, False, False, False, True, True, None), ('files', True, False, False, False, True, True, None), ('everything', True, False, True, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, sha, source):
        setattr(self, 'sha', sha)
        setattr(self, 'source', source)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(sha={self.sha!r}, source={self.source!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.sha,self.source,) == (other.sha,other.source,)
        return NotImplemented
    def __hash__(self):
        return hash((self.sha,self.source,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.changes._Base'] = ((True, False, False, (('sha', True, False, False, False, True, True, None), ('source', True, False, False, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, message, hint):
        setattr(self, 'message', message)
        setattr(self, 'hint', hint)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(message={self.message!r}, hint={self.hint!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.message,self.hint,) == (other.message,other.hint,)
        return NotImplemented
    def __hash__(self):
        return hash((self.message,self.hint,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.changes._Missing'] = ((True, False, False, (('message', True, False, False, False, True, True, None), ('hint', True, False, False, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, rev, source, option=defaults['option'], two_dot=defaults['two_dot'], everything=defaults['everything']):
        setattr(self, 'rev', rev)
        setattr(self, 'source', source)
        setattr(self, 'option', option)
        setattr(self, 'two_dot', two_dot)
        setattr(self, 'everything', everything)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(rev={self.rev!r}, source={self.source!r}, option={self.option!r}, two_dot={self.two_dot!r}, everything={self.everything!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.rev,self.source,self.option,self.two_dot,self.everything,) == (other.rev,other.source,other.option,other.two_dot,other.everything,)
        return NotImplemented
    def __hash__(self):
        return hash((self.rev,self.source,self.option,self.two_dot,self.everything,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.ci_env.Candidate'] = ((True, False, False, (('rev', True, False, False, False, True, True, None), ('source', True, False, False, False, True, True, None), ('option', True, False, True, False, True, True, None), ('two_dot', True, False, True, False, True, True, None), ('everything', True, False, True, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, workspace_dir=defaults['workspace_dir'], variables=MISSING):
        setattr(self, 'workspace_dir', workspace_dir)
        setattr(self, 'variables', factories['variables']() if variables is MISSING else variables)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(workspace_dir={self.workspace_dir!r}, variables={self.variables!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.workspace_dir,self.variables,) == (other.workspace_dir,other.variables,)
        return NotImplemented
    def __hash__(self):
        return hash((self.workspace_dir,self.variables,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.ci_env.CiEnvironment'] = ((True, False, False, (('workspace_dir', True, False, True, False, True, True, None), ('variables', True, False, False, True, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, data, event, path):
        setattr(self, 'data', data)
        setattr(self, 'event', event)
        setattr(self, 'path', path)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(data={self.data!r}, event={self.event!r}, path={self.path!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.data,self.event,self.path,) == (other.data,other.event,other.path,)
        return NotImplemented
    def __hash__(self):
        return hash((self.data,self.event,self.path,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.ci_env._GitHubPayload'] = ((True, False, False, (('data', True, False, False, False, True, True, None), ('event', True, False, False, False, True, True, None), ('path', True, False, False, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, label, short, dependent, commands):
        setattr(self, 'label', label)
        setattr(self, 'short', short)
        setattr(self, 'dependent', dependent)
        setattr(self, 'commands', commands)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(label={self.label!r}, short={self.short!r}, dependent={self.dependent!r}, commands={self.commands!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.label,self.short,self.dependent,self.commands,) == (other.label,other.short,other.dependent,other.commands,)
        return NotImplemented
    def __hash__(self):
        return hash((self.label,self.short,self.dependent,self.commands,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.commands.run.Work'] = ((True, False, False, (('label', True, False, False, False, True, True, None), ('short', True, False, False, False, True, True, None), ('dependent', True, False, False, False, True, True, None), ('commands', True, False, False, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, name, dockerfile, ports, healthcheck, depends_on, watch):
        setattr(self, 'name', name)
        setattr(self, 'dockerfile', dockerfile)
        setattr(self, 'ports', ports)
        setattr(self, 'healthcheck', healthcheck)
        setattr(self, 'depends_on', depends_on)
        setattr(self, 'watch', watch)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(name={self.name!r}, dockerfile={self.dockerfile!r}, ports={self.ports!r}, healthcheck={self.healthcheck!r}, depends_on={self.depends_on!r}, watch={self.watch!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.name,self.dockerfile,self.ports,self.healthcheck,self.depends_on,self.watch,) == (other.name,other.dockerfile,other.ports,other.healthcheck,other.depends_on,other.watch,)
        return NotImplemented
    def __hash__(self):
        return hash((self.name,self.dockerfile,self.ports,self.healthcheck,self.depends_on,self.watch,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.compose_plan.Service'] = ((True, False, False, (('name', True, False, False, False, True, True, None), ('dockerfile', True, False, False, False, True, True, None), ('ports', True, False, False, False, True, True, None), ('healthcheck', True, False, False, False, True, True, None), ('depends_on', True, False, False, False, True, True, None), ('watch', True, False, False, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, action, path, target=defaults['target']):
        setattr(self, 'action', action)
        setattr(self, 'path', path)
        setattr(self, 'target', target)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(action={self.action!r}, path={self.path!r}, target={self.target!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.action,self.path,self.target,) == (other.action,other.path,other.target,)
        return NotImplemented
    def __hash__(self):
        return hash((self.action,self.path,self.target,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.compose_plan.Watch'] = ((True, False, False, (('action', True, False, False, False, True, True, None), ('path', True, False, False, False, True, True, None), ('target', True, False, True, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, github_workflow=defaults['github_workflow'], gitlab_file=defaults['gitlab_file'], gitlab_strategy=defaults['gitlab_strategy'], gitlab_image_builder=defaults['gitlab_image_builder'], runner=defaults['runner'], max_jobs=defaults['max_jobs'], uvmono_source=defaults['uvmono_source'], default_branch=defaults['default_branch'], skip_passed=defaults['skip_passed']):
        setattr(self, 'github_workflow', github_workflow)
        setattr(self, 'gitlab_file', gitlab_file)
        setattr(self, 'gitlab_strategy', gitlab_strategy)
        setattr(self, 'gitlab_image_builder', gitlab_image_builder)
        setattr(self, 'runner', runner)
        setattr(self, 'max_jobs', max_jobs)
        setattr(self, 'uvmono_source', uvmono_source)
        setattr(self, 'default_branch', default_branch)
        setattr(self, 'skip_passed', skip_passed)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(github_workflow={self.github_workflow!r}, gitlab_file={self.gitlab_file!r}, gitlab_strategy={self.gitlab_strategy!r}, gitlab_image_builder={self.gitlab_image_builder!r}, runner={self.runner!r}, max_jobs={self.max_jobs!r}, uvmono_source={self.uvmono_source!r}, default_branch={self.default_branch!r}, skip_passed={self.skip_passed!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.github_workflow,self.gitlab_file,self.gitlab_strategy,self.gitlab_image_builder,self.runner,self.max_jobs,self.uvmono_source,self.default_branch,self.skip_passed,) == (other.github_workflow,other.gitlab_file,other.gitlab_strategy,other.gitlab_image_builder,other.runner,other.max_jobs,other.uvmono_source,other.default_branch,other.skip_passed,)
        return NotImplemented
    def __hash__(self):
        return hash((self.github_workflow,self.gitlab_file,self.gitlab_strategy,self.gitlab_image_builder,self.runner,self.max_jobs,self.uvmono_source,self.default_branch,self.skip_passed,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.config.CiSettings'] = ((True, False, False, (('github_workflow', True, False, True, False, True, True, None), ('gitlab_file', True, False, True, False, True, True, None), ('gitlab_strategy', True, False, True, False, True, True, None), ('gitlab_image_builder', True, False, True, False, True, True, None), ('runner', True, False, True, False, True, True, None), ('max_jobs', True, False, True, False, True, True, None), ('uvmono_source', True, False, True, False, True, True, None), ('default_branch', True, False, True, False, True, True, None), ('skip_passed', True, False, True, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, image=defaults['image'], command=defaults['command'], ports=defaults['ports'], healthcheck=defaults['healthcheck'], system_packages=defaults['system_packages'], build_packages=defaults['build_packages'], extra_files=defaults['extra_files'], extras=defaults['extras'], runtime=defaults['runtime'], build_env=defaults['build_env'], compose=defaults['compose'], depends_on=defaults['depends_on'], base_image=defaults['base_image'], uv_image=defaults['uv_image'], uv_version=defaults['uv_version'], image_name=defaults['image_name'], registry=defaults['registry'], user_id=defaults['user_id'], platforms=defaults['platforms'], cache_from=defaults['cache_from'], cache_to=defaults['cache_to'], attestations=defaults['attestations'], indexes=defaults['indexes'], syntax=defaults['syntax'], source_url=defaults['source_url']):
        setattr(self, 'image', image)
        setattr(self, 'command', command)
        setattr(self, 'ports', ports)
        setattr(self, 'healthcheck', healthcheck)
        setattr(self, 'system_packages', system_packages)
        setattr(self, 'build_packages', build_packages)
        setattr(self, 'extra_files', extra_files)
        setattr(self, 'extras', extras)
        setattr(self, 'runtime', runtime)
        setattr(self, 'build_env', build_env)
        setattr(self, 'compose', compose)
        setattr(self, 'depends_on', depends_on)
        setattr(self, 'base_image', base_image)
        setattr(self, 'uv_image', uv_image)
        setattr(self, 'uv_version', uv_version)
        setattr(self, 'image_name', image_name)
        setattr(self, 'registry', registry)
        setattr(self, 'user_id', user_id)
        setattr(self, 'platforms', platforms)
        setattr(self, 'cache_from', cache_from)
        setattr(self, 'cache_to', cache_to)
        setattr(self, 'attestations', attestations)
        setattr(self, 'indexes', indexes)
        setattr(self, 'syntax', syntax)
        setattr(self, 'source_url', source_url)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(image={self.image!r}, command={self.command!r}, ports={self.ports!r}, healthcheck={self.healthcheck!r}, system_packages={self.system_packages!r}, build_packages={self.build_packages!r}, extra_files={self.extra_files!r}, extras={self.extras!r}, runtime={self.runtime!r}, build_env={self.build_env!r}, compose={self.compose!r}, depends_on={self.depends_on!r}, base_image={self.base_image!r}, uv_image={self.uv_image!r}, uv_version={self.uv_version!r}, image_name={self.image_name!r}, registry={self.registry!r}, user_id={self.user_id!r}, platforms={self.platforms!r}, cache_from={self.cache_from!r}, cache_to={self.cache_to!r}, attestations={self.attestations!r}, indexes={self.indexes!r}, syntax={self.syntax!r}, source_url={self.source_url!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.image,self.command,self.ports,self.healthcheck,self.system_packages,self.build_packages,self.extra_files,self.extras,self.runtime,self.build_env,self.compose,self.depends_on,self.base_image,self.uv_image,self.uv_version,self.image_name,self.registry,self.user_id,self.platforms,self.cache_from,self.cache_to,self.attestations,self.indexes,self.syntax,self.source_url,) == (other.image,other.command,other.ports,other.healthcheck,other.system_packages,other.build_packages,other.extra_files,other.extras,other.runtime,other.build_env,other.compose,other.depends_on,other.base_image,other.uv_image,other.uv_version,other.image_name,other.registry,other.user_id,other.platforms,other.cache_from,other.cache_to,other.attestations,other.indexes,other.syntax,other.source_url,)
        return NotImplemented
    def __hash__(self):
        return hash((self.image,self.command,self.ports,self.healthcheck,self.system_packages,self.build_packages,self.extra_files,self.extras,self.runtime,self.build_env,self.compose,self.depends_on,self.base_image,self.uv_image,self.uv_version,self.image_name,self.registry,self.user_id,self.platforms,self.cache_from,self.cache_to,self.attestations,self.indexes,self.syntax,self.source_url,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.config.DockerSettings'] = ((True, False, False, (('image', True, False, True, False, True, True, None), ('command', True, False, True, False, True, True, None), ('ports', True, False, True, False, True, True, None), ('healthcheck', True, False, True, False, True, True, None), ('system_packages', True, False, True, False, True, True, None), ('build_packages', True, False, True, False, True, True, None), ('extra_files', True, False, True, False, True, True, None), ('extras', True, False, True, False, True, True, None), ('runtime', True, False, True, False, True, True, None), ('build_env', True, False, True, False, True, True, None), ('compose', True, False, True, False, True, True, None), ('depends_on', True, False, True, False, True, True, None), ('base_image', True, False, True, False, True, True, None), ('uv_image', True, False, True, False, True, True, None), ('uv_version', True, False, True, False, True, True, None), ('image_name', True, False, True, False, True, True, None), ('registry', True, False, True, False, True, True, None), ('user_id', True, False, True, False, True, True, None), ('platforms', True, False, True, False, True, True, None), ('cache_from', True, False, True, False, True, True, None), ('cache_to', True, False, True, False, True, True, None), ('attestations', True, False, True, False, True, True, None), ('indexes', True, False, True, False, True, True, None), ('syntax', True, False, True, False, True, True, None), ('source_url', True, False, True, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, image=defaults['image'], command=defaults['command'], ports=defaults['ports'], healthcheck=defaults['healthcheck'], system_packages=defaults['system_packages'], build_packages=defaults['build_packages'], extra_files=defaults['extra_files'], extras=defaults['extras'], runtime=defaults['runtime'], build_env=defaults['build_env'], compose=defaults['compose'], depends_on=defaults['depends_on']):
        setattr(self, 'image', image)
        setattr(self, 'command', command)
        setattr(self, 'ports', ports)
        setattr(self, 'healthcheck', healthcheck)
        setattr(self, 'system_packages', system_packages)
        setattr(self, 'build_packages', build_packages)
        setattr(self, 'extra_files', extra_files)
        setattr(self, 'extras', extras)
        setattr(self, 'runtime', runtime)
        setattr(self, 'build_env', build_env)
        setattr(self, 'compose', compose)
        setattr(self, 'depends_on', depends_on)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(image={self.image!r}, command={self.command!r}, ports={self.ports!r}, healthcheck={self.healthcheck!r}, system_packages={self.system_packages!r}, build_packages={self.build_packages!r}, extra_files={self.extra_files!r}, extras={self.extras!r}, runtime={self.runtime!r}, build_env={self.build_env!r}, compose={self.compose!r}, depends_on={self.depends_on!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.image,self.command,self.ports,self.healthcheck,self.system_packages,self.build_packages,self.extra_files,self.extras,self.runtime,self.build_env,self.compose,self.depends_on,) == (other.image,other.command,other.ports,other.healthcheck,other.system_packages,other.build_packages,other.extra_files,other.extras,other.runtime,other.build_env,other.compose,other.depends_on,)
        return NotImplemented
    def __hash__(self):
        return hash((self.image,self.command,self.ports,self.healthcheck,self.system_packages,self.build_packages,self.extra_files,self.extras,self.runtime,self.build_env,self.compose,self.depends_on,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.config.MemberDockerSettings'] = ((True, False, False, (('image', True, False, True, False, True, True, None), ('command', True, False, True, False, True, True, None), ('ports', True, False, True, False, True, True, None), ('healthcheck', True, False, True, False, True, True, None), ('system_packages', True, False, True, False, True, True, None), ('build_packages', True, False, True, False, True, True, None), ('extra_files', True, False, True, False, True, True, None), ('extras', True, False, True, False, True, True, None), ('runtime', True, False, True, False, True, True, None), ('build_env', True, False, True, False, True, True, None), ('compose', True, False, True, False, True, True, None), ('depends_on', True, False, True, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, ignore=defaults['ignore'], test_command=defaults['test_command'], python=defaults['python'], tests=defaults['tests'], test_extras=defaults['test_extras'], test_groups=defaults['test_groups'], test_root_groups=defaults['test_root_groups'], docker=MISSING, tasks=defaults['tasks']):
        setattr(self, 'ignore', ignore)
        setattr(self, 'test_command', test_command)
        setattr(self, 'python', python)
        setattr(self, 'tests', tests)
        setattr(self, 'test_extras', test_extras)
        setattr(self, 'test_groups', test_groups)
        setattr(self, 'test_root_groups', test_root_groups)
        setattr(self, 'docker', factories['docker']() if docker is MISSING else docker)
        setattr(self, 'tasks', tasks)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(ignore={self.ignore!r}, test_command={self.test_command!r}, python={self.python!r}, tests={self.tests!r}, test_extras={self.test_extras!r}, test_groups={self.test_groups!r}, test_root_groups={self.test_root_groups!r}, docker={self.docker!r}, tasks={self.tasks!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.ignore,self.test_command,self.python,self.tests,self.test_extras,self.test_groups,self.test_root_groups,self.docker,self.tasks,) == (other.ignore,other.test_command,other.python,other.tests,other.test_extras,other.test_groups,other.test_root_groups,other.docker,other.tasks,)
        return NotImplemented
    def __hash__(self):
        return hash((self.ignore,self.test_command,self.python,self.tests,self.test_extras,self.test_groups,self.test_root_groups,self.docker,self.tasks,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.config.MemberSettings'] = ((True, False, False, (('ignore', True, False, True, False, True, True, None), ('test_command', True, False, True, False, True, True, None), ('python', True, False, True, False, True, True, None), ('tests', True, False, True, False, True, True, None), ('test_extras', True, False, True, False, True, True, None), ('test_groups', True, False, True, False, True, True, None), ('test_root_groups', True, False, True, False, True, True, None), ('docker', True, False, False, True, True, True, None), ('tasks', True, False, True, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, generate=defaults['generate'], global_files=defaults['global_files'], ignore=defaults['ignore'], affected=defaults['affected'], lockfile=defaults['lockfile'], test_command=defaults['test_command'], python=defaults['python'], tests=defaults['tests'], test_extras=defaults['test_extras'], test_groups=defaults['test_groups'], test_root_groups=defaults['test_root_groups'], python_versions=defaults['python_versions'], docker=MISSING, ci=MISSING, tasks=defaults['tasks']):
        setattr(self, 'generate', generate)
        setattr(self, 'global_files', global_files)
        setattr(self, 'ignore', ignore)
        setattr(self, 'affected', affected)
        setattr(self, 'lockfile', lockfile)
        setattr(self, 'test_command', test_command)
        setattr(self, 'python', python)
        setattr(self, 'tests', tests)
        setattr(self, 'test_extras', test_extras)
        setattr(self, 'test_groups', test_groups)
        setattr(self, 'test_root_groups', test_root_groups)
        setattr(self, 'python_versions', python_versions)
        setattr(self, 'docker', factories['docker']() if docker is MISSING else docker)
        setattr(self, 'ci', factories['ci']() if ci is MISSING else ci)
        setattr(self, 'tasks', tasks)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(generate={self.generate!r}, global_files={self.global_files!r}, ignore={self.ignore!r}, affected={self.affected!r}, lockfile={self.lockfile!r}, test_command={self.test_command!r}, python={self.python!r}, tests={self.tests!r}, test_extras={self.test_extras!r}, test_groups={self.test_groups!r}, test_root_groups={self.test_root_groups!r}, python_versions={self.python_versions!r}, docker={self.docker!r}, ci={self.ci!r}, tasks={self.tasks!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.generate,self.global_files,self.ignore,self.affected,self.lockfile,self.test_command,self.python,self.tests,self.test_extras,self.test_groups,self.test_root_groups,self.python_versions,self.docker,self.ci,self.tasks,) == (other.generate,other.global_files,other.ignore,other.affected,other.lockfile,other.test_command,other.python,other.tests,other.test_extras,other.test_groups,other.test_root_groups,other.python_versions,other.docker,other.ci,other.tasks,)
        return NotImplemented
    def __hash__(self):
        return hash((self.generate,self.global_files,self.ignore,self.affected,self.lockfile,self.test_command,self.python,self.tests,self.test_extras,self.test_groups,self.test_root_groups,self.python_versions,self.docker,self.ci,self.tasks,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.config.Settings'] = ((True, False, False, (('generate', True, False, True, False, True, True, None), ('global_files', True, False, True, False, True, True, None), ('ignore', True, False, True, False, True, True, None), ('affected', True, False, True, False, True, True, None), ('lockfile', True, False, True, False, True, True, None), ('test_command', True, False, True, False, True, True, None), ('python', True, False, True, False, True, True, None), ('tests', True, False, True, False, True, True, None), ('test_extras', True, False, True, False, True, True, None), ('test_groups', True, False, True, False, True, True, None), ('test_root_groups', True, False, True, False, True, True, None), ('python_versions', True, False, True, False, True, True, None), ('docker', True, False, False, True, True, True, None), ('ci', True, False, False, True, True, True, None), ('tasks', True, False, True, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, check, expected, default, doc, schema, multiline=defaults['multiline'], refuse=defaults['refuse'], convert=defaults['convert']):
        setattr(self, 'check', check)
        setattr(self, 'expected', expected)
        setattr(self, 'default', default)
        setattr(self, 'doc', doc)
        setattr(self, 'schema', schema)
        setattr(self, 'multiline', multiline)
        setattr(self, 'refuse', refuse)
        setattr(self, 'convert', convert)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(check={self.check!r}, expected={self.expected!r}, default={self.default!r}, doc={self.doc!r}, schema={self.schema!r}, multiline={self.multiline!r}, refuse={self.refuse!r}, convert={self.convert!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.check,self.expected,self.default,self.doc,self.schema,self.multiline,self.refuse,self.convert,) == (other.check,other.expected,other.default,other.doc,other.schema,other.multiline,other.refuse,other.convert,)
        return NotImplemented
    def __hash__(self):
        return hash((self.check,self.expected,self.default,self.doc,self.schema,self.multiline,self.refuse,self.convert,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.config_fields.Key'] = ((True, False, False, (('check', True, False, False, False, True, True, None), ('expected', True, False, False, False, True, True, None), ('default', True, False, False, False, True, True, None), ('doc', True, False, False, False, True, True, None), ('schema', True, False, False, False, True, True, None), ('multiline', True, False, True, False, True, True, None), ('refuse', True, False, True, False, True, True, None), ('convert', True, False, True, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, name, run, dependent=defaults['dependent']):
        setattr(self, 'name', name)
        setattr(self, 'run', run)
        setattr(self, 'dependent', dependent)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(name={self.name!r}, run={self.run!r}, dependent={self.dependent!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.name,self.run,self.dependent,) == (other.name,other.run,other.dependent,)
        return NotImplemented
    def __hash__(self):
        return hash((self.name,self.run,self.dependent,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.config_fields.Task'] = ((True, False, False, (('name', True, False, False, False, True, True, None), ('run', True, False, False, False, True, True, None), ('dependent', True, False, True, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, path, text, pyproject, listed=defaults['listed']):
        self.path = path
        self.text = text
        self.pyproject = pyproject
        self.listed = listed
    def __repr__(self):
        return f"{self.__class__.__qualname__}(path={self.path!r}, text={self.text!r}, pyproject={self.pyproject!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.path,self.text,self.pyproject,) == (other.path,other.text,other.pyproject,)
        return NotImplemented
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__}


MAKERS['uvmono.discovery.Found'] = ((False, False, False, (('path', True, False, False, False, True, True, None), ('text', True, False, False, False, True, True, None), ('pyproject', True, False, False, False, True, True, None), ('listed', True, False, True, False, False, False, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, requires, packages):
        setattr(self, 'requires', requires)
        setattr(self, 'packages', packages)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(requires={self.requires!r}, packages={self.packages!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.requires,self.packages,) == (other.requires,other.packages,)
        return NotImplemented
    def __hash__(self):
        return hash((self.requires,self.packages,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.docker_build_env.BuildEnv'] = ((True, False, False, (('requires', True, False, False, False, True, True, None), ('packages', True, False, False, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, uv_settings, defined_indexes, secrets, user_id, syntax, source_url, members_beneath, generated, levels, build_constraints):
        setattr(self, 'uv_settings', uv_settings)
        setattr(self, 'defined_indexes', defined_indexes)
        setattr(self, 'secrets', secrets)
        setattr(self, 'user_id', user_id)
        setattr(self, 'syntax', syntax)
        setattr(self, 'source_url', source_url)
        setattr(self, 'members_beneath', members_beneath)
        setattr(self, 'generated', generated)
        setattr(self, 'levels', levels)
        setattr(self, 'build_constraints', build_constraints)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(uv_settings={self.uv_settings!r}, defined_indexes={self.defined_indexes!r}, secrets={self.secrets!r}, user_id={self.user_id!r}, syntax={self.syntax!r}, source_url={self.source_url!r}, members_beneath={self.members_beneath!r}, generated={self.generated!r}, levels={self.levels!r}, build_constraints={self.build_constraints!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.uv_settings,self.defined_indexes,self.secrets,self.user_id,self.syntax,self.source_url,self.members_beneath,self.generated,self.levels,self.build_constraints,) == (other.uv_settings,other.defined_indexes,other.secrets,other.user_id,other.syntax,other.source_url,other.members_beneath,other.generated,other.levels,other.build_constraints,)
        return NotImplemented
    def __hash__(self):
        return hash((self.uv_settings,self.defined_indexes,self.secrets,self.user_id,self.syntax,self.source_url,self.members_beneath,self.generated,self.levels,self.build_constraints,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.docker_plan._Shared'] = ((True, False, False, (('uv_settings', True, False, False, False, True, True, None), ('defined_indexes', True, False, False, False, True, True, None), ('secrets', True, False, False, False, True, True, None), ('user_id', True, False, False, False, True, True, None), ('syntax', True, False, False, False, True, True, None), ('source_url', True, False, False, False, True, True, None), ('members_beneath', True, False, False, False, True, True, None), ('generated', True, False, False, False, True, True, None), ('levels', True, False, False, False, True, True, None), ('build_constraints', True, False, False, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, name, dockerfile, image, platforms, cache_from, cache_to, attestations, secrets):
        setattr(self, 'name', name)
        setattr(self, 'dockerfile', dockerfile)
        setattr(self, 'image', image)
        setattr(self, 'platforms', platforms)
        setattr(self, 'cache_from', cache_from)
        setattr(self, 'cache_to', cache_to)
        setattr(self, 'attestations', attestations)
        setattr(self, 'secrets', secrets)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(name={self.name!r}, dockerfile={self.dockerfile!r}, image={self.image!r}, platforms={self.platforms!r}, cache_from={self.cache_from!r}, cache_to={self.cache_to!r}, attestations={self.attestations!r}, secrets={self.secrets!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.name,self.dockerfile,self.image,self.platforms,self.cache_from,self.cache_to,self.attestations,self.secrets,) == (other.name,other.dockerfile,other.image,other.platforms,other.cache_from,other.cache_to,other.attestations,other.secrets,)
        return NotImplemented
    def __hash__(self):
        return hash((self.name,self.dockerfile,self.image,self.platforms,self.cache_from,self.cache_to,self.attestations,self.secrets,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.docker_types.BakeTarget'] = ((True, False, False, (('name', True, False, False, False, True, True, None), ('dockerfile', True, False, False, False, True, True, None), ('image', True, False, False, False, True, True, None), ('platforms', True, False, False, False, True, True, None), ('cache_from', True, False, False, False, True, True, None), ('cache_to', True, False, False, False, True, True, None), ('attestations', True, False, False, False, True, True, None), ('secrets', True, False, False, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, name, path, dockerfile, version, description, python, base_image, uv_image, syntax, install, test_install, context_excludes, uv_settings, indexes, secrets, entrypoint, test_command, user_id, ports, healthcheck, system_packages, build_packages, extra_files, source_url, runtime=defaults['runtime'], build_env=defaults['build_env'], build_constraints=defaults['build_constraints'], context_keeps=defaults['context_keeps'], vcs_variables=defaults['vcs_variables'], vcs_packages=defaults['vcs_packages'], extras=defaults['extras']):
        setattr(self, 'name', name)
        setattr(self, 'path', path)
        setattr(self, 'dockerfile', dockerfile)
        setattr(self, 'version', version)
        setattr(self, 'description', description)
        setattr(self, 'python', python)
        setattr(self, 'base_image', base_image)
        setattr(self, 'uv_image', uv_image)
        setattr(self, 'syntax', syntax)
        setattr(self, 'install', install)
        setattr(self, 'test_install', test_install)
        setattr(self, 'context_excludes', context_excludes)
        setattr(self, 'uv_settings', uv_settings)
        setattr(self, 'indexes', indexes)
        setattr(self, 'secrets', secrets)
        setattr(self, 'entrypoint', entrypoint)
        setattr(self, 'test_command', test_command)
        setattr(self, 'user_id', user_id)
        setattr(self, 'ports', ports)
        setattr(self, 'healthcheck', healthcheck)
        setattr(self, 'system_packages', system_packages)
        setattr(self, 'build_packages', build_packages)
        setattr(self, 'extra_files', extra_files)
        setattr(self, 'source_url', source_url)
        setattr(self, 'runtime', runtime)
        setattr(self, 'build_env', build_env)
        setattr(self, 'build_constraints', build_constraints)
        setattr(self, 'context_keeps', context_keeps)
        setattr(self, 'vcs_variables', vcs_variables)
        setattr(self, 'vcs_packages', vcs_packages)
        setattr(self, 'extras', extras)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(name={self.name!r}, path={self.path!r}, dockerfile={self.dockerfile!r}, version={self.version!r}, description={self.description!r}, python={self.python!r}, base_image={self.base_image!r}, uv_image={self.uv_image!r}, syntax={self.syntax!r}, install={self.install!r}, test_install={self.test_install!r}, context_excludes={self.context_excludes!r}, uv_settings={self.uv_settings!r}, indexes={self.indexes!r}, secrets={self.secrets!r}, entrypoint={self.entrypoint!r}, test_command={self.test_command!r}, user_id={self.user_id!r}, ports={self.ports!r}, healthcheck={self.healthcheck!r}, system_packages={self.system_packages!r}, build_packages={self.build_packages!r}, extra_files={self.extra_files!r}, source_url={self.source_url!r}, runtime={self.runtime!r}, build_env={self.build_env!r}, build_constraints={self.build_constraints!r}, context_keeps={self.context_keeps!r}, vcs_variables={self.vcs_variables!r}, vcs_packages={self.vcs_packages!r}, extras={self.extras!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.name,self.path,self.dockerfile,self.version,self.description,self.python,self.base_image,self.uv_image,self.syntax,self.install,self.test_install,self.context_excludes,self.uv_settings,self.indexes,self.secrets,self.entrypoint,self.test_command,self.user_id,self.ports,self.healthcheck,self.system_packages,self.build_packages,self.extra_files,self.source_url,self.runtime,self.build_env,self.build_constraints,self.context_keeps,self.vcs_variables,self.vcs_packages,self.extras,) == (other.name,other.path,other.dockerfile,other.version,other.description,other.python,other.base_image,other.uv_image,other.syntax,other.install,other.test_install,other.context_excludes,other.uv_settings,other.indexes,other.secrets,other.entrypoint,other.test_command,other.user_id,other.ports,other.healthcheck,other.system_packages,other.build_packages,other.extra_files,other.source_url,other.runtime,other.build_env,other.build_constraints,other.context_keeps,other.vcs_variables,other.vcs_packages,other.extras,)
        return NotImplemented
    def __hash__(self):
        return hash((self.name,self.path,self.dockerfile,self.version,self.description,self.python,self.base_image,self.uv_image,self.syntax,self.install,self.test_install,self.context_excludes,self.uv_settings,self.indexes,self.secrets,self.entrypoint,self.test_command,self.user_id,self.ports,self.healthcheck,self.system_packages,self.build_packages,self.extra_files,self.source_url,self.runtime,self.build_env,self.build_constraints,self.context_keeps,self.vcs_variables,self.vcs_packages,self.extras,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.docker_types.DockerInputs'] = ((True, False, False, (('name', True, False, False, False, True, True, None), ('path', True, False, False, False, True, True, None), ('dockerfile', True, False, False, False, True, True, None), ('version', True, False, False, False, True, True, None), ('description', True, False, False, False, True, True, None), ('python', True, False, False, False, True, True, None), ('base_image', True, False, False, False, True, True, None), ('uv_image', True, False, False, False, True, True, None), ('syntax', True, False, False, False, True, True, None), ('install', True, False, False, False, True, True, None), ('test_install', True, False, False, False, True, True, None), ('context_excludes', True, False, False, False, True, True, None), ('uv_settings', True, False, False, False, True, True, None), ('indexes', True, False, False, False, True, True, None), ('secrets', True, False, False, False, True, True, None), ('entrypoint', True, False, False, False, True, True, None), ('test_command', True, False, False, False, True, True, None), ('user_id', True, False, False, False, True, True, None), ('ports', True, False, False, False, True, True, None), ('healthcheck', True, False, False, False, True, True, None), ('system_packages', True, False, False, False, True, True, None), ('build_packages', True, False, False, False, True, True, None), ('extra_files', True, False, False, False, True, True, None), ('source_url', True, False, False, False, True, True, None), ('runtime', True, False, True, False, True, True, None), ('build_env', True, False, True, False, True, True, None), ('build_constraints', True, False, True, False, True, True, None), ('context_keeps', True, False, True, False, True, True, None), ('vcs_variables', True, False, True, False, True, True, None), ('vcs_packages', True, False, True, False, True, True, None), ('extras', True, False, True, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, index, field):
        setattr(self, 'index', index)
        setattr(self, 'field', field)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(index={self.index!r}, field={self.field!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.index,self.field,) == (other.index,other.field,)
        return NotImplemented
    def __hash__(self):
        return hash((self.index,self.field,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.docker_types.IndexSecret'] = ((True, False, False, (('index', True, False, False, False, True, True, None), ('field', True, False, False, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, edges, starts, in_lock, root_owner=defaults['root_owner']):
        setattr(self, 'edges', edges)
        setattr(self, 'starts', starts)
        setattr(self, 'in_lock', in_lock)
        setattr(self, 'root_owner', root_owner)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(edges={self.edges!r}, starts={self.starts!r}, in_lock={self.in_lock!r}, root_owner={self.root_owner!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.edges,self.starts,self.in_lock,self.root_owner,) == (other.edges,other.starts,other.in_lock,other.root_owner,)
        return NotImplemented
    def __hash__(self):
        return hash((self.edges,self.starts,self.in_lock,self.root_owner,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.environment.EnvironmentGraph'] = ((True, False, False, (('edges', True, False, False, False, True, True, None), ('starts', True, False, False, False, True, True, None), ('in_lock', True, False, False, False, True, True, None), ('root_owner', True, False, True, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, path, body, command, syntax):
        setattr(self, 'path', path)
        setattr(self, 'body', body)
        setattr(self, 'command', command)
        setattr(self, 'syntax', syntax)
        self.__post_init__()
    def __repr__(self):
        return f"{self.__class__.__qualname__}(path={self.path!r}, body={self.body!r}, command={self.command!r}, syntax={self.syntax!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.path,self.body,self.command,self.syntax,) == (other.path,other.body,other.command,other.syntax,)
        return NotImplemented
    def __hash__(self):
        return hash((self.path,self.body,self.command,self.syntax,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.files.plan.Artifact'] = ((True, False, True, (('path', True, False, False, False, True, True, None), ('body', True, False, False, False, True, True, None), ('command', True, False, False, False, True, True, None), ('syntax', True, False, False, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, path, action, text, previous=defaults['previous']):
        setattr(self, 'path', path)
        setattr(self, 'action', action)
        setattr(self, 'text', text)
        setattr(self, 'previous', previous)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(path={self.path!r}, action={self.action!r}, text={self.text!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.path,self.action,self.text,) == (other.path,other.action,other.text,)
        return NotImplemented
    def __hash__(self):
        return hash((self.path,self.action,self.text,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.files.plan.Change'] = ((True, False, False, (('path', True, False, False, False, True, True, None), ('action', True, False, False, False, True, True, None), ('text', True, False, False, False, True, True, None), ('previous', True, False, True, False, False, False, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, root, changes, warnings):
        setattr(self, 'root', root)
        setattr(self, 'changes', changes)
        setattr(self, 'warnings', warnings)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(root={self.root!r}, changes={self.changes!r}, warnings={self.warnings!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.root,self.changes,self.warnings,) == (other.root,other.changes,other.warnings,)
        return NotImplemented
    def __hash__(self):
        return hash((self.root,self.changes,self.warnings,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.files.plan.WritePlan'] = ((True, False, False, (('root', True, False, False, False, True, True, None), ('changes', True, False, False, False, True, True, None), ('warnings', True, False, False, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, change, directory, name, mode, temp):
        self.change = change
        self.directory = directory
        self.name = name
        self.mode = mode
        self.temp = temp
    def __repr__(self):
        return f"{self.__class__.__qualname__}(change={self.change!r}, directory={self.directory!r}, name={self.name!r}, mode={self.mode!r}, temp={self.temp!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.change,self.directory,self.name,self.mode,self.temp,) == (other.change,other.directory,other.name,other.mode,other.temp,)
        return NotImplemented
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__}


MAKERS['uvmono.files.writes._Staged'] = ((False, False, False, (('change', True, False, False, False, True, True, None), ('directory', True, False, False, False, True, True, None), ('name', True, False, False, False, True, True, None), ('mode', True, False, False, False, True, True, None), ('temp', True, False, False, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, package, python, side, value, inputs):
        setattr(self, 'package', package)
        setattr(self, 'python', python)
        setattr(self, 'side', side)
        setattr(self, 'value', value)
        setattr(self, 'inputs', inputs)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(package={self.package!r}, python={self.python!r}, side={self.side!r}, value={self.value!r}, inputs={self.inputs!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.package,self.python,self.side,self.value,self.inputs,) == (other.package,other.python,other.side,other.value,other.inputs,)
        return NotImplemented
    def __hash__(self):
        return hash((self.package,self.python,self.side,self.value,self.inputs,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.fingerprint.Fingerprint'] = ((True, False, False, (('package', True, False, False, False, True, True, None), ('python', True, False, False, False, True, True, None), ('side', True, False, False, False, True, True, None), ('value', True, False, False, False, True, True, None), ('inputs', True, False, False, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, repo_root, rev, pathspecs, working_dir, diff, listed):
        setattr(self, 'repo_root', repo_root)
        setattr(self, 'rev', rev)
        setattr(self, 'pathspecs', pathspecs)
        setattr(self, 'working_dir', working_dir)
        setattr(self, 'diff', diff)
        setattr(self, 'listed', listed)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(repo_root={self.repo_root!r}, rev={self.rev!r}, pathspecs={self.pathspecs!r}, working_dir={self.working_dir!r}, diff={self.diff!r}, listed={self.listed!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.repo_root,self.rev,self.pathspecs,self.working_dir,self.diff,self.listed,) == (other.repo_root,other.rev,other.pathspecs,other.working_dir,other.diff,other.listed,)
        return NotImplemented
    def __hash__(self):
        return hash((self.repo_root,self.rev,self.pathspecs,self.working_dir,self.diff,self.listed,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.git.WorktreeProbe'] = ((True, False, False, (('repo_root', True, False, False, False, True, True, None), ('rev', True, False, False, False, True, True, None), ('pathspecs', True, False, False, False, True, True, None), ('working_dir', True, False, False, False, True, True, None), ('diff', True, False, False, False, True, True, None), ('listed', True, False, False, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, status, stdout, stderr):
        setattr(self, 'status', status)
        setattr(self, 'stdout', stdout)
        setattr(self, 'stderr', stderr)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(status={self.status!r}, stdout={self.stdout!r}, stderr={self.stderr!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.status,self.stdout,self.stderr,) == (other.status,other.stdout,other.stderr,)
        return NotImplemented
    def __hash__(self):
        return hash((self.status,self.stdout,self.stderr,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.git._Output'] = ((True, False, False, (('status', True, False, False, False, True, True, None), ('stdout', True, False, False, False, True, True, None), ('stderr', True, False, False, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, dependent, dependency, kind, extra=defaults['extra'], group=defaults['group'], extras=defaults['extras'], marker=defaults['marker']):
        setattr(self, 'dependent', dependent)
        setattr(self, 'dependency', dependency)
        setattr(self, 'kind', kind)
        setattr(self, 'extra', extra)
        setattr(self, 'group', group)
        setattr(self, 'extras', extras)
        setattr(self, 'marker', marker)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(dependent={self.dependent!r}, dependency={self.dependency!r}, kind={self.kind!r}, extra={self.extra!r}, group={self.group!r}, extras={self.extras!r}, marker={self.marker!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.dependent,self.dependency,self.kind,self.extra,self.group,self.extras,self.marker,) == (other.dependent,other.dependency,other.kind,other.extra,other.group,other.extras,other.marker,)
        return NotImplemented
    def __hash__(self):
        return hash((self.dependent,self.dependency,self.kind,self.extra,self.group,self.extras,self.marker,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.graph.Edge'] = ((True, False, False, (('dependent', True, False, False, False, True, True, None), ('dependency', True, False, False, False, True, True, None), ('kind', True, False, False, False, True, True, None), ('extra', True, False, True, False, True, True, None), ('group', True, False, True, False, True, True, None), ('extras', True, False, True, False, True, True, None), ('marker', True, False, True, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, image, warning=defaults['warning']):
        setattr(self, 'image', image)
        setattr(self, 'warning', warning)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(image={self.image!r}, warning={self.warning!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.image,self.warning,) == (other.image,other.warning,)
        return NotImplemented
    def __hash__(self):
        return hash((self.image,self.warning,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.images.ImageDecision'] = ((True, False, False, (('image', True, False, False, False, True, True, None), ('warning', True, False, True, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, url, name=defaults['name'], default=defaults['default']):
        setattr(self, 'url', url)
        setattr(self, 'name', name)
        setattr(self, 'default', default)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(url={self.url!r}, name={self.name!r}, default={self.default!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.url,self.name,self.default,) == (other.url,other.name,other.default,)
        return NotImplemented
    def __hash__(self):
        return hash((self.url,self.name,self.default,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.indexes.Index'] = ((True, False, False, (('url', True, False, False, False, True, True, None), ('name', True, False, True, False, True, True, None), ('default', True, False, True, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, kind, value, index=defaults['index']):
        setattr(self, 'kind', kind)
        setattr(self, 'value', value)
        setattr(self, 'index', index)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(kind={self.kind!r}, value={self.value!r}, index={self.index!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.kind,self.value,self.index,) == (other.kind,other.value,other.index,)
        return NotImplemented
    def __hash__(self):
        return hash((self.kind,self.value,self.index,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.install_source.InstallSource'] = ((True, False, False, (('kind', True, False, False, False, True, True, None), ('value', True, False, False, False, True, True, None), ('index', True, False, True, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, x, y, width, height, layer):
        setattr(self, 'x', x)
        setattr(self, 'y', y)
        setattr(self, 'width', width)
        setattr(self, 'height', height)
        setattr(self, 'layer', layer)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(x={self.x!r}, y={self.y!r}, width={self.width!r}, height={self.height!r}, layer={self.layer!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.x,self.y,self.width,self.height,self.layer,) == (other.x,other.y,other.width,other.height,other.layer,)
        return NotImplemented
    def __hash__(self):
        return hash((self.x,self.y,self.width,self.height,self.layer,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.layout.Box'] = ((True, False, False, (('x', True, False, False, False, True, True, None), ('y', True, False, False, False, True, True, None), ('width', True, False, False, False, True, True, None), ('height', True, False, False, False, True, True, None), ('layer', True, False, False, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, boxes, width, height, order, crossings):
        setattr(self, 'boxes', boxes)
        setattr(self, 'width', width)
        setattr(self, 'height', height)
        setattr(self, 'order', order)
        setattr(self, 'crossings', crossings)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(boxes={self.boxes!r}, width={self.width!r}, height={self.height!r}, order={self.order!r}, crossings={self.crossings!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.boxes,self.width,self.height,self.order,self.crossings,) == (other.boxes,other.width,other.height,other.order,other.crossings,)
        return NotImplemented
    def __hash__(self):
        return hash((self.boxes,self.width,self.height,self.order,self.crossings,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.layout.Layout'] = ((True, False, False, (('boxes', True, False, False, False, True, True, None), ('width', True, False, False, False, True, True, None), ('height', True, False, False, False, True, True, None), ('order', True, False, False, False, True, True, None), ('crossings', True, False, False, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, origin, version, revision, packages, members, root_groups, requires_python=defaults['requires_python'], conflicts=defaults['conflicts']):
        setattr(self, 'origin', origin)
        setattr(self, 'version', version)
        setattr(self, 'revision', revision)
        setattr(self, 'packages', packages)
        setattr(self, 'members', members)
        setattr(self, 'root_groups', root_groups)
        setattr(self, 'requires_python', requires_python)
        setattr(self, 'conflicts', conflicts)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(origin={self.origin!r}, version={self.version!r}, revision={self.revision!r}, packages={self.packages!r}, members={self.members!r}, root_groups={self.root_groups!r}, requires_python={self.requires_python!r}, conflicts={self.conflicts!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.origin,self.version,self.revision,self.packages,self.members,self.root_groups,self.requires_python,self.conflicts,) == (other.origin,other.version,other.revision,other.packages,other.members,other.root_groups,other.requires_python,other.conflicts,)
        return NotImplemented
    def __hash__(self):
        return hash((self.origin,self.version,self.revision,self.packages,self.members,self.root_groups,self.requires_python,self.conflicts,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.lockfile.Lock'] = ((True, False, False, (('origin', True, False, False, False, True, True, None), ('version', True, False, False, False, True, True, None), ('revision', True, False, False, False, True, True, None), ('packages', True, False, False, False, True, True, None), ('members', True, False, False, False, True, True, None), ('root_groups', True, False, False, False, True, True, None), ('requires_python', True, False, True, False, True, True, None), ('conflicts', True, False, True, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, target, extras=defaults['extras'], marker=defaults['marker']):
        setattr(self, 'target', target)
        setattr(self, 'extras', extras)
        setattr(self, 'marker', marker)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(target={self.target!r}, extras={self.extras!r}, marker={self.marker!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.target,self.extras,self.marker,) == (other.target,other.extras,other.marker,)
        return NotImplemented
    def __hash__(self):
        return hash((self.target,self.extras,self.marker,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.lockfile.LockDep'] = ((True, False, False, (('target', True, False, False, False, True, True, None), ('extras', True, False, True, False, True, True, None), ('marker', True, False, True, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, id, dependencies, optional, groups, artifacts=defaults['artifacts']):
        setattr(self, 'id', id)
        setattr(self, 'dependencies', dependencies)
        setattr(self, 'optional', optional)
        setattr(self, 'groups', groups)
        setattr(self, 'artifacts', artifacts)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(id={self.id!r}, dependencies={self.dependencies!r}, optional={self.optional!r}, groups={self.groups!r}, artifacts={self.artifacts!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.id,self.dependencies,self.optional,self.groups,self.artifacts,) == (other.id,other.dependencies,other.optional,other.groups,other.artifacts,)
        return NotImplemented
    def __hash__(self):
        return hash((self.id,self.dependencies,self.optional,self.groups,self.artifacts,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.lockfile.LockPackage'] = ((True, False, False, (('id', True, False, False, False, True, True, None), ('dependencies', True, False, False, False, True, True, None), ('optional', True, False, False, False, True, True, None), ('groups', True, False, False, False, True, True, None), ('artifacts', True, False, True, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, name, version, source):
        setattr(self, 'name', name)
        setattr(self, 'version', version)
        setattr(self, 'source', source)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(name={self.name!r}, version={self.version!r}, source={self.source!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.name,self.version,self.source,) == (other.name,other.version,other.source,)
        return NotImplemented
    def __hash__(self):
        return hash((self.name,self.version,self.source,))
    def __lt__(self, other):
        if other.__class__ is self.__class__:
            return (self.name,self.version,self.source,) < (other.name,other.version,other.source,)
        return NotImplemented
    def __le__(self, other):
        if other.__class__ is self.__class__:
            return (self.name,self.version,self.source,) <= (other.name,other.version,other.source,)
        return NotImplemented
    def __gt__(self, other):
        if other.__class__ is self.__class__:
            return (self.name,self.version,self.source,) > (other.name,other.version,other.source,)
        return NotImplemented
    def __ge__(self, other):
        if other.__class__ is self.__class__:
            return (self.name,self.version,self.source,) >= (other.name,other.version,other.source,)
        return NotImplemented
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__, '__lt__': __lt__, '__le__': __le__, '__gt__': __gt__, '__ge__': __ge__}


MAKERS['uvmono.lockfile.PackageId'] = ((True, True, False, (('name', True, False, False, False, True, True, None), ('version', True, False, False, False, True, True, None), ('source', True, False, False, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, name, extras=defaults['extras'], marker=defaults['marker']):
        setattr(self, 'name', name)
        setattr(self, 'extras', extras)
        setattr(self, 'marker', marker)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(name={self.name!r}, extras={self.extras!r}, marker={self.marker!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.name,self.extras,self.marker,) == (other.name,other.extras,other.marker,)
        return NotImplemented
    def __hash__(self):
        return hash((self.name,self.extras,self.marker,))
    def __lt__(self, other):
        if other.__class__ is self.__class__:
            return (self.name,self.extras,self.marker,) < (other.name,other.extras,other.marker,)
        return NotImplemented
    def __le__(self, other):
        if other.__class__ is self.__class__:
            return (self.name,self.extras,self.marker,) <= (other.name,other.extras,other.marker,)
        return NotImplemented
    def __gt__(self, other):
        if other.__class__ is self.__class__:
            return (self.name,self.extras,self.marker,) > (other.name,other.extras,other.marker,)
        return NotImplemented
    def __ge__(self, other):
        if other.__class__ is self.__class__:
            return (self.name,self.extras,self.marker,) >= (other.name,other.extras,other.marker,)
        return NotImplemented
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__, '__lt__': __lt__, '__le__': __le__, '__gt__': __gt__, '__ge__': __ge__}


MAKERS['uvmono.names.Requirement'] = ((True, True, False, (('name', True, False, False, False, True, True, None), ('extras', True, False, True, False, True, True, None), ('marker', True, False, True, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, workspace, affected, plan):
        setattr(self, 'workspace', workspace)
        setattr(self, 'affected', affected)
        setattr(self, 'plan', plan)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(workspace={self.workspace!r}, affected={self.affected!r}, plan={self.plan!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.workspace,self.affected,self.plan,) == (other.workspace,other.affected,other.plan,)
        return NotImplemented
    def __hash__(self):
        return hash((self.workspace,self.affected,self.plan,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.pipeline.Planned'] = ((True, False, False, (('workspace', True, False, False, False, True, True, None), ('affected', True, False, False, False, True, True, None), ('plan', True, False, False, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, *, info, since=defaults['since'], until=defaults['until'], on_missing_base=defaults['on_missing_base'], ci=defaults['ci'], filters=defaults['filters'], cwd=defaults['cwd']):
        setattr(self, 'info', info)
        setattr(self, 'since', since)
        setattr(self, 'until', until)
        setattr(self, 'on_missing_base', on_missing_base)
        setattr(self, 'ci', ci)
        setattr(self, 'filters', filters)
        setattr(self, 'cwd', cwd)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(info={self.info!r}, since={self.since!r}, until={self.until!r}, on_missing_base={self.on_missing_base!r}, ci={self.ci!r}, filters={self.filters!r}, cwd={self.cwd!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.info,self.since,self.until,self.on_missing_base,self.ci,self.filters,self.cwd,) == (other.info,other.since,other.until,other.on_missing_base,other.ci,other.filters,other.cwd,)
        return NotImplemented
    def __hash__(self):
        return hash((self.info,self.since,self.until,self.on_missing_base,self.ci,self.filters,self.cwd,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.pipeline.RunOptions'] = ((True, False, False, (('info', True, True, False, False, True, True, None), ('since', True, True, True, False, True, True, None), ('until', True, True, True, False, True, True, None), ('on_missing_base', True, True, True, False, True, True, None), ('ci', True, True, True, False, True, True, None), ('filters', True, True, True, False, True, True, None), ('cwd', True, True, True, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, workspace_root, base, head, entries, settings=MISSING, workspace_dir=defaults['workspace_dir'], uvmono=defaults['uvmono'], python=defaults['python'], image_members=defaults['image_members'], fingerprints=MISSING):
        setattr(self, 'workspace_root', workspace_root)
        setattr(self, 'base', base)
        setattr(self, 'head', head)
        setattr(self, 'entries', entries)
        setattr(self, 'settings', factories['settings']() if settings is MISSING else settings)
        setattr(self, 'workspace_dir', workspace_dir)
        setattr(self, 'uvmono', uvmono)
        setattr(self, 'python', python)
        setattr(self, 'image_members', image_members)
        setattr(self, 'fingerprints', factories['fingerprints']() if fingerprints is MISSING else fingerprints)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(workspace_root={self.workspace_root!r}, base={self.base!r}, head={self.head!r}, entries={self.entries!r}, settings={self.settings!r}, workspace_dir={self.workspace_dir!r}, uvmono={self.uvmono!r}, python={self.python!r}, image_members={self.image_members!r}, fingerprints={self.fingerprints!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.workspace_root,self.base,self.head,self.entries,self.settings,self.workspace_dir,self.uvmono,self.python,self.image_members,self.fingerprints,) == (other.workspace_root,other.base,other.head,other.entries,other.settings,other.workspace_dir,other.uvmono,other.python,other.image_members,other.fingerprints,)
        return NotImplemented
    def __hash__(self):
        return hash((self.workspace_root,self.base,self.head,self.entries,self.settings,self.workspace_dir,self.uvmono,self.python,self.image_members,self.fingerprints,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.plan.Plan'] = ((True, False, False, (('workspace_root', True, False, False, False, True, True, None), ('base', True, False, False, False, True, True, None), ('head', True, False, False, False, True, True, None), ('entries', True, False, False, False, True, True, None), ('settings', True, False, False, True, True, True, None), ('workspace_dir', True, False, True, False, True, True, None), ('uvmono', True, False, True, False, True, True, None), ('python', True, False, True, False, True, True, None), ('image_members', True, False, True, False, True, True, None), ('fingerprints', True, False, False, True, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, package, path, python, image, image_name, dockerfile, test_command, reasons, test):
        setattr(self, 'package', package)
        setattr(self, 'path', path)
        setattr(self, 'python', python)
        setattr(self, 'image', image)
        setattr(self, 'image_name', image_name)
        setattr(self, 'dockerfile', dockerfile)
        setattr(self, 'test_command', test_command)
        setattr(self, 'reasons', reasons)
        setattr(self, 'test', test)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(package={self.package!r}, path={self.path!r}, python={self.python!r}, image={self.image!r}, image_name={self.image_name!r}, dockerfile={self.dockerfile!r}, test_command={self.test_command!r}, reasons={self.reasons!r}, test={self.test!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.package,self.path,self.python,self.image,self.image_name,self.dockerfile,self.test_command,self.reasons,self.test,) == (other.package,other.path,other.python,other.image,other.image_name,other.dockerfile,other.test_command,other.reasons,other.test,)
        return NotImplemented
    def __hash__(self):
        return hash((self.package,self.path,self.python,self.image,self.image_name,self.dockerfile,self.test_command,self.reasons,self.test,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.plan.PlanEntry'] = ((True, False, False, (('package', True, False, False, False, True, True, None), ('path', True, False, False, False, True, True, None), ('python', True, False, False, False, True, True, None), ('image', True, False, False, False, True, True, None), ('image_name', True, False, False, False, True, True, None), ('dockerfile', True, False, False, False, True, True, None), ('test_command', True, False, False, False, True, True, None), ('reasons', True, False, False, False, True, True, None), ('test', True, False, False, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, default, tests):
        setattr(self, 'default', default)
        setattr(self, 'tests', tests)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(default={self.default!r}, tests={self.tests!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.default,self.tests,) == (other.default,other.tests,)
        return NotImplemented
    def __hash__(self):
        return hash((self.default,self.tests,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.python.Pythons'] = ((True, False, False, (('default', True, False, False, False, True, True, None), ('tests', True, False, False, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, text, where, spec):
        setattr(self, 'text', text)
        setattr(self, 'where', where)
        setattr(self, 'spec', spec)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(text={self.text!r}, where={self.where!r}, spec={self.spec!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.text,self.where,self.spec,) == (other.text,other.where,other.spec,)
        return NotImplemented
    def __hash__(self):
        return hash((self.text,self.where,self.spec,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.python._Range'] = ((True, False, False, (('text', True, False, False, False, True, True, None), ('where', True, False, False, False, True, True, None), ('spec', True, False, False, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, repository, sha, version):
        setattr(self, 'repository', repository)
        setattr(self, 'sha', sha)
        setattr(self, 'version', version)
        self.__post_init__()
    def __repr__(self):
        return f"{self.__class__.__qualname__}(repository={self.repository!r}, sha={self.sha!r}, version={self.version!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.repository,self.sha,self.version,) == (other.repository,other.sha,other.version,)
        return NotImplemented
    def __hash__(self):
        return hash((self.repository,self.sha,self.version,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.render.actions.Action'] = ((True, False, True, (('repository', True, False, False, False, True, True, None), ('sha', True, False, False, False, True, True, None), ('version', True, False, False, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, runner, default_branch, uv_version, uvmono, images, registry, workspace_dir=defaults['workspace_dir'], skip_passed=defaults['skip_passed']):
        setattr(self, 'runner', runner)
        setattr(self, 'default_branch', default_branch)
        setattr(self, 'uv_version', uv_version)
        setattr(self, 'uvmono', uvmono)
        setattr(self, 'images', images)
        setattr(self, 'registry', registry)
        setattr(self, 'workspace_dir', workspace_dir)
        setattr(self, 'skip_passed', skip_passed)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(runner={self.runner!r}, default_branch={self.default_branch!r}, uv_version={self.uv_version!r}, uvmono={self.uvmono!r}, images={self.images!r}, registry={self.registry!r}, workspace_dir={self.workspace_dir!r}, skip_passed={self.skip_passed!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.runner,self.default_branch,self.uv_version,self.uvmono,self.images,self.registry,self.workspace_dir,self.skip_passed,) == (other.runner,other.default_branch,other.uv_version,other.uvmono,other.images,other.registry,other.workspace_dir,other.skip_passed,)
        return NotImplemented
    def __hash__(self):
        return hash((self.runner,self.default_branch,self.uv_version,self.uvmono,self.images,self.registry,self.workspace_dir,self.skip_passed,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.render.github.WorkflowOptions'] = ((True, False, False, (('runner', True, False, False, False, True, True, None), ('default_branch', True, False, False, False, True, True, None), ('uv_version', True, False, False, False, True, True, None), ('uvmono', True, False, False, False, True, True, None), ('images', True, False, False, False, True, True, None), ('registry', True, False, False, False, True, True, None), ('workspace_dir', True, False, True, False, True, True, None), ('skip_passed', True, False, True, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, include, uv_version, python, uvmono, strategy, workspace_dir):
        setattr(self, 'include', include)
        setattr(self, 'uv_version', uv_version)
        setattr(self, 'python', python)
        setattr(self, 'uvmono', uvmono)
        setattr(self, 'strategy', strategy)
        setattr(self, 'workspace_dir', workspace_dir)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(include={self.include!r}, uv_version={self.uv_version!r}, python={self.python!r}, uvmono={self.uvmono!r}, strategy={self.strategy!r}, workspace_dir={self.workspace_dir!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.include,self.uv_version,self.python,self.uvmono,self.strategy,self.workspace_dir,) == (other.include,other.uv_version,other.python,other.uvmono,other.strategy,other.workspace_dir,)
        return NotImplemented
    def __hash__(self):
        return hash((self.include,self.uv_version,self.python,self.uvmono,self.strategy,self.workspace_dir,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.render.gitlab.ParentOptions'] = ((True, False, False, (('include', True, False, False, False, True, True, None), ('uv_version', True, False, False, False, True, True, None), ('python', True, False, False, False, True, True, None), ('uvmono', True, False, False, False, True, True, None), ('strategy', True, False, False, False, True, True, None), ('workspace_dir', True, False, False, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, uv_version, max_permutations, image_builder, registry, workspace_dir):
        setattr(self, 'uv_version', uv_version)
        setattr(self, 'max_permutations', max_permutations)
        setattr(self, 'image_builder', image_builder)
        setattr(self, 'registry', registry)
        setattr(self, 'workspace_dir', workspace_dir)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(uv_version={self.uv_version!r}, max_permutations={self.max_permutations!r}, image_builder={self.image_builder!r}, registry={self.registry!r}, workspace_dir={self.workspace_dir!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.uv_version,self.max_permutations,self.image_builder,self.registry,self.workspace_dir,) == (other.uv_version,other.max_permutations,other.image_builder,other.registry,other.workspace_dir,)
        return NotImplemented
    def __hash__(self):
        return hash((self.uv_version,self.max_permutations,self.image_builder,self.registry,self.workspace_dir,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.render.gitlab_child.ChildOptions'] = ((True, False, False, (('uv_version', True, False, False, False, True, True, None), ('max_permutations', True, False, False, False, True, True, None), ('image_builder', True, False, False, False, True, True, None), ('registry', True, False, False, False, True, True, None), ('workspace_dir', True, False, False, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, title, nodes, edges, width, height, comparison=defaults['comparison'], notes=MISSING, locked=defaults['locked']):
        setattr(self, 'title', title)
        setattr(self, 'nodes', nodes)
        setattr(self, 'edges', edges)
        setattr(self, 'width', width)
        setattr(self, 'height', height)
        setattr(self, 'comparison', comparison)
        setattr(self, 'notes', factories['notes']() if notes is MISSING else notes)
        setattr(self, 'locked', locked)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(title={self.title!r}, nodes={self.nodes!r}, edges={self.edges!r}, width={self.width!r}, height={self.height!r}, comparison={self.comparison!r}, notes={self.notes!r}, locked={self.locked!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.title,self.nodes,self.edges,self.width,self.height,self.comparison,self.notes,self.locked,) == (other.title,other.nodes,other.edges,other.width,other.height,other.comparison,other.notes,other.locked,)
        return NotImplemented
    def __hash__(self):
        return hash((self.title,self.nodes,self.edges,self.width,self.height,self.comparison,self.notes,self.locked,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.render.html.Page'] = ((True, False, False, (('title', True, False, False, False, True, True, None), ('nodes', True, False, False, False, True, True, None), ('edges', True, False, False, False, True, True, None), ('width', True, False, False, False, True, True, None), ('height', True, False, False, False, True, True, None), ('comparison', True, False, True, False, True, True, None), ('notes', True, False, False, True, True, True, None), ('locked', True, False, True, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, dependent, dependency, label, dashed):
        setattr(self, 'dependent', dependent)
        setattr(self, 'dependency', dependency)
        setattr(self, 'label', label)
        setattr(self, 'dashed', dashed)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(dependent={self.dependent!r}, dependency={self.dependency!r}, label={self.label!r}, dashed={self.dashed!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.dependent,self.dependency,self.label,self.dashed,) == (other.dependent,other.dependency,other.label,other.dashed,)
        return NotImplemented
    def __hash__(self):
        return hash((self.dependent,self.dependency,self.label,self.dashed,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.render.html.PageEdge'] = ((True, False, False, (('dependent', True, False, False, False, True, True, None), ('dependency', True, False, False, False, True, True, None), ('label', True, False, False, False, True, True, None), ('dashed', True, False, False, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, name, path, x, y, width, height, layer, state=defaults['state'], reasons=defaults['reasons'], environment=defaults['environment'], third_party=defaults['third_party'], hidden=defaults['hidden']):
        setattr(self, 'name', name)
        setattr(self, 'path', path)
        setattr(self, 'x', x)
        setattr(self, 'y', y)
        setattr(self, 'width', width)
        setattr(self, 'height', height)
        setattr(self, 'layer', layer)
        setattr(self, 'state', state)
        setattr(self, 'reasons', reasons)
        setattr(self, 'environment', environment)
        setattr(self, 'third_party', third_party)
        setattr(self, 'hidden', hidden)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(name={self.name!r}, path={self.path!r}, x={self.x!r}, y={self.y!r}, width={self.width!r}, height={self.height!r}, layer={self.layer!r}, state={self.state!r}, reasons={self.reasons!r}, environment={self.environment!r}, third_party={self.third_party!r}, hidden={self.hidden!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.name,self.path,self.x,self.y,self.width,self.height,self.layer,self.state,self.reasons,self.environment,self.third_party,self.hidden,) == (other.name,other.path,other.x,other.y,other.width,other.height,other.layer,other.state,other.reasons,other.environment,other.third_party,other.hidden,)
        return NotImplemented
    def __hash__(self):
        return hash((self.name,self.path,self.x,self.y,self.width,self.height,self.layer,self.state,self.reasons,self.environment,self.third_party,self.hidden,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.render.html.PageNode'] = ((True, False, False, (('name', True, False, False, False, True, True, None), ('path', True, False, False, False, True, True, None), ('x', True, False, False, False, True, True, None), ('y', True, False, False, False, True, True, None), ('width', True, False, False, False, True, True, None), ('height', True, False, False, False, True, True, None), ('layer', True, False, False, False, True, True, None), ('state', True, False, True, False, True, True, None), ('reasons', True, False, True, False, True, True, None), ('environment', True, False, True, False, True, True, None), ('third_party', True, False, True, False, True, True, None), ('hidden', True, False, True, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, name, steps, needs=defaults['needs'], env=MISSING):
        setattr(self, 'name', name)
        setattr(self, 'steps', steps)
        setattr(self, 'needs', needs)
        setattr(self, 'env', factories['env']() if env is MISSING else env)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(name={self.name!r}, steps={self.steps!r}, needs={self.needs!r}, env={self.env!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.name,self.steps,self.needs,self.env,) == (other.name,other.steps,other.needs,other.env,)
        return NotImplemented
    def __hash__(self):
        return hash((self.name,self.steps,self.needs,self.env,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.runner.Job'] = ((True, False, False, (('name', True, False, False, False, True, True, None), ('steps', True, False, False, False, True, True, None), ('needs', True, False, True, False, True, True, None), ('env', True, False, False, True, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, name, result, detail, seconds):
        setattr(self, 'name', name)
        setattr(self, 'result', result)
        setattr(self, 'detail', detail)
        setattr(self, 'seconds', seconds)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(name={self.name!r}, result={self.result!r}, detail={self.detail!r}, seconds={self.seconds!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.name,self.result,self.detail,self.seconds,) == (other.name,other.result,other.detail,other.seconds,)
        return NotImplemented
    def __hash__(self):
        return hash((self.name,self.result,self.detail,self.seconds,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.runner.Outcome'] = ((True, False, False, (('name', True, False, False, False, True, True, None), ('result', True, False, False, False, True, True, None), ('detail', True, False, False, False, True, True, None), ('seconds', True, False, False, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, outcomes, seconds, signal):
        setattr(self, 'outcomes', outcomes)
        setattr(self, 'seconds', seconds)
        setattr(self, 'signal', signal)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(outcomes={self.outcomes!r}, seconds={self.seconds!r}, signal={self.signal!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.outcomes,self.seconds,self.signal,) == (other.outcomes,other.seconds,other.signal,)
        return NotImplemented
    def __hash__(self):
        return hash((self.outcomes,self.seconds,self.signal,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.runner.Report'] = ((True, False, False, (('outcomes', True, False, False, False, True, True, None), ('seconds', True, False, False, False, True, True, None), ('signal', True, False, False, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, name, what, started):
        setattr(self, 'name', name)
        setattr(self, 'what', what)
        setattr(self, 'started', started)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(name={self.name!r}, what={self.what!r}, started={self.started!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.name,self.what,self.started,) == (other.name,other.what,other.started,)
        return NotImplemented
    def __hash__(self):
        return hash((self.name,self.what,self.started,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.runner.Running'] = ((True, False, False, (('name', True, False, False, False, True, True, None), ('what', True, False, False, False, True, True, None), ('started', True, False, False, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, what, argv, cwd):
        setattr(self, 'what', what)
        setattr(self, 'argv', argv)
        setattr(self, 'cwd', cwd)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(what={self.what!r}, argv={self.argv!r}, cwd={self.cwd!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.what,self.argv,self.cwd,) == (other.what,other.argv,other.cwd,)
        return NotImplemented
    def __hash__(self):
        return hash((self.what,self.argv,self.cwd,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.runner.Step'] = ((True, False, False, (('what', True, False, False, False, True, True, None), ('argv', True, False, False, False, True, True, None), ('cwd', True, False, False, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, job, started, step=defaults['step'], proc=defaults['proc'], partial=defaults['partial'], pipe_open=defaults['pipe_open']):
        self.job = job
        self.started = started
        self.step = step
        self.proc = proc
        self.partial = partial
        self.pipe_open = pipe_open
    def __repr__(self):
        return f"{self.__class__.__qualname__}(job={self.job!r}, started={self.started!r}, step={self.step!r}, proc={self.proc!r}, partial={self.partial!r}, pipe_open={self.pipe_open!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.job,self.started,self.step,self.proc,self.partial,self.pipe_open,) == (other.job,other.started,other.step,other.proc,other.partial,other.pipe_open,)
        return NotImplemented
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__}


MAKERS['uvmono.runner._Active'] = ((False, False, False, (('job', True, False, False, False, True, True, None), ('started', True, False, False, False, True, True, None), ('step', True, False, True, False, True, True, None), ('proc', True, False, True, False, True, True, None), ('partial', True, False, True, False, True, True, None), ('pipe_open', True, False, True, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, cwd, environ, until=defaults['until']):
        setattr(self, 'cwd', cwd)
        setattr(self, 'environ', environ)
        setattr(self, 'until', until)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(cwd={self.cwd!r}, environ={self.environ!r}, until={self.until!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.cwd,self.environ,self.until,) == (other.cwd,other.environ,other.until,)
        return NotImplemented
    def __hash__(self):
        return hash((self.cwd,self.environ,self.until,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.selection.Context'] = ((True, False, False, (('cwd', True, False, False, False, True, True, None), ('environ', True, False, False, False, True, True, None), ('until', True, False, True, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, text, exclude=defaults['exclude'], pattern=defaults['pattern'], is_path=defaults['is_path'], ref=defaults['ref'], dependencies=defaults['dependencies'], dependents=defaults['dependents'], without_self=defaults['without_self']):
        setattr(self, 'text', text)
        setattr(self, 'exclude', exclude)
        setattr(self, 'pattern', pattern)
        setattr(self, 'is_path', is_path)
        setattr(self, 'ref', ref)
        setattr(self, 'dependencies', dependencies)
        setattr(self, 'dependents', dependents)
        setattr(self, 'without_self', without_self)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(text={self.text!r}, exclude={self.exclude!r}, pattern={self.pattern!r}, is_path={self.is_path!r}, ref={self.ref!r}, dependencies={self.dependencies!r}, dependents={self.dependents!r}, without_self={self.without_self!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.text,self.exclude,self.pattern,self.is_path,self.ref,self.dependencies,self.dependents,self.without_self,) == (other.text,other.exclude,other.pattern,other.is_path,other.ref,other.dependencies,other.dependents,other.without_self,)
        return NotImplemented
    def __hash__(self):
        return hash((self.text,self.exclude,self.pattern,self.is_path,self.ref,self.dependencies,self.dependents,self.without_self,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.selection.Filter'] = ((True, False, False, (('text', True, False, False, False, True, True, None), ('exclude', True, False, True, False, True, True, None), ('pattern', True, False, True, False, True, True, None), ('is_path', True, False, True, False, True, True, None), ('ref', True, False, True, False, True, True, None), ('dependencies', True, False, True, False, True, True, None), ('dependents', True, False, True, False, True, True, None), ('without_self', True, False, True, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, target, kind, extras=defaults['extras'], marker=defaults['marker'], extra=defaults['extra'], group=defaults['group']):
        setattr(self, 'target', target)
        setattr(self, 'kind', kind)
        setattr(self, 'extras', extras)
        setattr(self, 'marker', marker)
        setattr(self, 'extra', extra)
        setattr(self, 'group', group)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(target={self.target!r}, kind={self.kind!r}, extras={self.extras!r}, marker={self.marker!r}, extra={self.extra!r}, group={self.group!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.target,self.kind,self.extras,self.marker,self.extra,self.group,) == (other.target,other.kind,other.extras,other.marker,other.extra,other.group,)
        return NotImplemented
    def __hash__(self):
        return hash((self.target,self.kind,self.extras,self.marker,self.extra,self.group,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.sources.MemberDependency'] = ((True, False, False, (('target', True, False, False, False, True, True, None), ('kind', True, False, False, False, True, True, None), ('extras', True, False, True, False, True, True, None), ('marker', True, False, True, False, True, True, None), ('extra', True, False, True, False, True, True, None), ('group', True, False, True, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, name, path, editable, outside_root):
        setattr(self, 'name', name)
        setattr(self, 'path', path)
        setattr(self, 'editable', editable)
        setattr(self, 'outside_root', outside_root)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(name={self.name!r}, path={self.path!r}, editable={self.editable!r}, outside_root={self.outside_root!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.name,self.path,self.editable,self.outside_root,) == (other.name,other.path,other.editable,other.outside_root,)
        return NotImplemented
    def __hash__(self):
        return hash((self.name,self.path,self.editable,self.outside_root,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.sources.PathSource'] = ((True, False, False, (('name', True, False, False, False, True, True, None), ('path', True, False, False, False, True, True, None), ('editable', True, False, False, False, True, True, None), ('outside_root', True, False, False, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, package, extras, groups, root_groups, root_owner, side=defaults['side']):
        setattr(self, 'package', package)
        setattr(self, 'extras', extras)
        setattr(self, 'groups', groups)
        setattr(self, 'root_groups', root_groups)
        setattr(self, 'root_owner', root_owner)
        setattr(self, 'side', side)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(package={self.package!r}, extras={self.extras!r}, groups={self.groups!r}, root_groups={self.root_groups!r}, root_owner={self.root_owner!r}, side={self.side!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.package,self.extras,self.groups,self.root_groups,self.root_owner,self.side,) == (other.package,other.extras,other.groups,other.root_groups,other.root_owner,other.side,)
        return NotImplemented
    def __hash__(self):
        return hash((self.package,self.extras,self.groups,self.root_groups,self.root_owner,self.side,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.test_environment.TestEnvironment'] = ((True, False, False, (('package', True, False, False, False, True, True, None), ('extras', True, False, False, False, True, True, None), ('groups', True, False, False, False, True, True, None), ('root_groups', True, False, False, False, True, True, None), ('root_owner', True, False, False, False, True, True, None), ('side', True, False, True, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, pythons, environments, locations, runner, warnings=defaults['warnings']):
        setattr(self, 'pythons', pythons)
        setattr(self, 'environments', environments)
        setattr(self, 'locations', locations)
        setattr(self, 'runner', runner)
        setattr(self, 'warnings', warnings)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(pythons={self.pythons!r}, environments={self.environments!r}, locations={self.locations!r}, runner={self.runner!r}, warnings={self.warnings!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.pythons,self.environments,self.locations,self.runner,self.warnings,) == (other.pythons,other.environments,other.locations,other.runner,other.warnings,)
        return NotImplemented
    def __hash__(self):
        return hash((self.pythons,self.environments,self.locations,self.runner,self.warnings,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.test_environment.TestPlan'] = ((True, False, False, (('pythons', True, False, False, False, True, True, None), ('environments', True, False, False, False, True, True, None), ('locations', True, False, False, False, True, True, None), ('runner', True, False, False, False, True, True, None), ('warnings', True, False, True, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, name, path, version, packaged, scripts, requires_python, dependencies, extras, groups, path_sources, settings, description=defaults['description']):
        setattr(self, 'name', name)
        setattr(self, 'path', path)
        setattr(self, 'version', version)
        setattr(self, 'packaged', packaged)
        setattr(self, 'scripts', scripts)
        setattr(self, 'requires_python', requires_python)
        setattr(self, 'dependencies', dependencies)
        setattr(self, 'extras', extras)
        setattr(self, 'groups', groups)
        setattr(self, 'path_sources', path_sources)
        setattr(self, 'settings', settings)
        setattr(self, 'description', description)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(name={self.name!r}, path={self.path!r}, version={self.version!r}, packaged={self.packaged!r}, scripts={self.scripts!r}, requires_python={self.requires_python!r}, dependencies={self.dependencies!r}, extras={self.extras!r}, groups={self.groups!r}, path_sources={self.path_sources!r}, settings={self.settings!r}, description={self.description!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.name,self.path,self.version,self.packaged,self.scripts,self.requires_python,self.dependencies,self.extras,self.groups,self.path_sources,self.settings,self.description,) == (other.name,other.path,other.version,other.packaged,other.scripts,other.requires_python,other.dependencies,other.extras,other.groups,other.path_sources,other.settings,other.description,)
        return NotImplemented
    def __hash__(self):
        return hash((self.name,self.path,self.version,self.packaged,self.scripts,self.requires_python,self.dependencies,self.extras,self.groups,self.path_sources,self.settings,self.description,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.workspace.Member'] = ((True, False, False, (('name', True, False, False, False, True, True, None), ('path', True, False, False, False, True, True, None), ('version', True, False, False, False, True, True, None), ('packaged', True, False, False, False, True, True, None), ('scripts', True, False, False, False, True, True, None), ('requires_python', True, False, False, False, True, True, None), ('dependencies', True, False, False, False, True, True, None), ('extras', True, False, False, False, True, True, None), ('groups', True, False, False, False, True, True, None), ('path_sources', True, False, False, False, True, True, None), ('settings', True, False, False, False, True, True, None), ('description', True, False, True, False, True, True, None))), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, by_path):
        setattr(self, 'by_path', by_path)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(by_path={self.by_path!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.by_path,) == (other.by_path,)
        return NotImplemented
    def __hash__(self):
        return hash((self.by_path,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.workspace.OwnerIndex'] = ((True, False, False, (('by_path', True, False, False, False, True, True, None),)), __make__)


def __make__(defaults, factories, MISSING, setattr):
    def __init__(self, root, members, root_groups, settings, python_version, dynamic, warnings=defaults['warnings'], edge_lock=defaults['edge_lock'], root_indexes=defaults['root_indexes'], default_groups=defaults['default_groups'], conflicts=defaults['conflicts']):
        setattr(self, 'root', root)
        setattr(self, 'members', members)
        setattr(self, 'root_groups', root_groups)
        setattr(self, 'settings', settings)
        setattr(self, 'python_version', python_version)
        setattr(self, 'dynamic', dynamic)
        setattr(self, 'warnings', warnings)
        setattr(self, 'edge_lock', edge_lock)
        setattr(self, 'root_indexes', root_indexes)
        setattr(self, 'default_groups', default_groups)
        setattr(self, 'conflicts', conflicts)
    def __repr__(self):
        return f"{self.__class__.__qualname__}(root={self.root!r}, members={self.members!r}, root_groups={self.root_groups!r}, settings={self.settings!r}, python_version={self.python_version!r}, dynamic={self.dynamic!r}, warnings={self.warnings!r}, edge_lock={self.edge_lock!r}, root_indexes={self.root_indexes!r}, default_groups={self.default_groups!r}, conflicts={self.conflicts!r})"
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.root,self.members,self.root_groups,self.settings,self.python_version,self.dynamic,self.warnings,self.edge_lock,self.root_indexes,self.default_groups,self.conflicts,) == (other.root,other.members,other.root_groups,other.settings,other.python_version,other.dynamic,other.warnings,other.edge_lock,other.root_indexes,other.default_groups,other.conflicts,)
        return NotImplemented
    def __hash__(self):
        return hash((self.root,self.members,self.root_groups,self.settings,self.python_version,self.dynamic,self.warnings,self.edge_lock,self.root_indexes,self.default_groups,self.conflicts,))
    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__, '__hash__': __hash__}


MAKERS['uvmono.workspace.Workspace'] = ((True, False, False, (('root', True, False, False, False, True, True, None), ('members', True, False, False, False, True, True, None), ('root_groups', True, False, False, False, True, True, None), ('settings', True, False, False, False, True, True, None), ('python_version', True, False, False, False, True, True, None), ('dynamic', True, False, False, False, True, True, None), ('warnings', True, False, True, False, True, True, None), ('edge_lock', True, False, True, False, True, True, None), ('root_indexes', True, False, True, False, True, True, None), ('default_groups', True, False, True, False, True, True, None), ('conflicts', True, False, True, False, True, True, None))), __make__)
del __make__
