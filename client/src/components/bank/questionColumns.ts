import { h } from 'vue';
import { NButton, NSpace, NTag, type DataTableColumns } from 'naive-ui';
import type { Question } from '../../../../shared/schemas/questions';
import { answerText } from './questionForm';

type T = (key: string, named?: Record<string, unknown>) => string;

interface Actions {
  edit: (q: Question) => void;
  remove: (q: Question) => void;
}

const tagList = (q: Question) => h(NSpace, { size: 4 }, () => q.tags.map((tag) => h(NTag, { size: 'small', bordered: true }, () => tag)));

const actionButtons = (t: T, q: Question, a: Actions) =>
  h(NSpace, { size: 'small', wrap: false }, () => [
    h(NButton, { size: 'medium', 'data-test': 'question-edit', onClick: () => a.edit(q) }, () => t('common.edit')),
    h(NButton, { size: 'medium', type: 'error', ghost: true, 'data-test': 'question-delete', onClick: () => a.remove(q) }, () => t('common.delete')),
  ]);

const textCell = (q: Question) => [
  h('div', { class: 'q-cell-text' }, q.text),
  q.source ? h('div', { class: 'muted q-cell-source' }, q.source) : null,
];

/** The bank table's columns; `narrow` (phones) folds everything into one card-like column. */
export function questionColumns(t: T, a: Actions, narrow: boolean): DataTableColumns<Question> {
  if (narrow) {
    return [
      { type: 'selection' },
      {
        title: t('bank.text'),
        key: 'text',
        render: (q) =>
          h('div', { class: 'q-cell' }, [
            ...textCell(q),
            h('div', { class: 'q-cell-meta' }, [
              `${t(`bank.typesShort.${q.type}`)} · ${t(`bank.difficulties.${q.difficulty}`)} · `,
              h('strong', { 'data-test': 'question-answer' }, answerText(q)),
            ]),
            q.tags.length ? tagList(q) : null,
            h('div', { class: 'q-cell-actions' }, [actionButtons(t, q, a)]),
          ]),
      },
    ];
  }
  return [
    { type: 'selection' },
    { title: t('bank.text'), key: 'text', minWidth: 260, render: (q) => h('div', { class: 'q-cell' }, textCell(q)) },
    { title: t('bank.type'), key: 'type', width: 90, render: (q) => t(`bank.typesShort.${q.type}`) },
    { title: t('bank.answer'), key: 'answer', width: 130, render: (q) => h('strong', { 'data-test': 'question-answer' }, answerText(q)) },
    { title: t('bank.difficulty'), key: 'difficulty', width: 80, render: (q) => t(`bank.difficulties.${q.difficulty}`) },
    { title: t('bank.tags'), key: 'tags', width: 160, render: tagList },
    { title: t('common.actions'), key: 'actions', width: 170, render: (q) => actionButtons(t, q, a) },
  ];
}
