import { h } from 'vue';
import { NButton, NSpace, NTag, type DataTableColumns } from 'naive-ui';
import type { Question } from '../../../../shared/schemas/questions';
import { answerText } from './questionForm';

type T = (key: string, named?: Record<string, unknown>) => string;

interface Actions {
  edit: (q: Question) => void;
  remove: (q: Question) => void;
  /** Whether the signed-in user may change this question (a secretary: only their own branch's). */
  canEdit: (q: Question) => boolean;
  /** The owner scope as shown: 全组织, 本支部, or (for admins) the branch's name. */
  scopeLabel: (q: Question) => string;
}

const tagList = (q: Question) => h(NSpace, { size: 4 }, () => q.tags.map((tag) => h(NTag, { size: 'small', bordered: true }, () => tag)));

const scopeTag = (q: Question, a: Actions) =>
  h(NTag, { size: 'small', type: q.branchId === null ? 'info' : 'success', bordered: true, 'data-test': 'question-scope' }, () => a.scopeLabel(q));

/** Edit and delete; for a question the user may not change, both disabled with the reason next to them. */
function actionButtons(t: T, q: Question, a: Actions) {
  const editable = a.canEdit(q);
  const reason = editable ? '' : t(q.branchId === null ? 'bank.readonlyOrg' : 'bank.readonlyOther');
  return h('div', { title: reason || undefined }, [
    h(NSpace, { size: 'small', wrap: false }, () => [
      h(NButton, { size: 'medium', disabled: !editable, 'data-test': 'question-edit', onClick: () => a.edit(q) }, () => t('common.edit')),
      h(NButton, { size: 'medium', type: 'error', ghost: true, disabled: !editable, 'data-test': 'question-delete', onClick: () => a.remove(q) }, () =>
        t('common.delete'),
      ),
    ]),
    editable ? null : h('div', { class: 'muted q-readonly', 'data-test': 'question-readonly' }, reason),
  ]);
}

const textCell = (q: Question) => [
  h('div', { class: 'q-cell-text' }, q.text),
  q.source ? h('div', { class: 'muted q-cell-source' }, q.source) : null,
];

/** The bank table's columns; `narrow` (phones) folds everything into one card-like column. */
export function questionColumns(t: T, a: Actions, narrow: boolean): DataTableColumns<Question> {
  // Only questions the user may delete can be picked for a bulk delete.
  const selection = { type: 'selection' as const, disabled: (q: Question) => !a.canEdit(q) };
  if (narrow) {
    return [
      selection,
      {
        title: t('bank.text'),
        key: 'text',
        render: (q) =>
          h('div', { class: 'q-cell' }, [
            ...textCell(q),
            h('div', { class: 'q-cell-meta' }, [
              `${t(`bank.typesShort.${q.type}`)} · ${t(`bank.difficulties.${q.difficulty}`)} · `,
              h('strong', { 'data-test': 'question-answer' }, answerText(q)),
              ' ',
              scopeTag(q, a),
            ]),
            q.tags.length ? tagList(q) : null,
            h('div', { class: 'q-cell-actions' }, [actionButtons(t, q, a)]),
          ]),
      },
    ];
  }
  return [
    selection,
    { title: t('bank.text'), key: 'text', minWidth: 260, render: (q) => h('div', { class: 'q-cell' }, textCell(q)) },
    { title: t('bank.type'), key: 'type', width: 90, render: (q) => t(`bank.typesShort.${q.type}`) },
    { title: t('bank.answer'), key: 'answer', width: 130, render: (q) => h('strong', { 'data-test': 'question-answer' }, answerText(q)) },
    { title: t('bank.difficulty'), key: 'difficulty', width: 80, render: (q) => t(`bank.difficulties.${q.difficulty}`) },
    { title: t('bank.scope'), key: 'branchId', width: 110, render: (q) => scopeTag(q, a) },
    { title: t('bank.tags'), key: 'tags', width: 160, render: tagList },
    { title: t('common.actions'), key: 'actions', width: 180, render: (q) => actionButtons(t, q, a) },
  ];
}
